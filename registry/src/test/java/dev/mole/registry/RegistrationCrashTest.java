package dev.mole.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mole.contracts.storage.ObjectRef;
import dev.mole.registry.internal.CrashingRegistration;
import dev.mole.registry.internal.RegistryCore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two-phase registration: a process that dies between storing the blobs and committing leaves no version visible. */
@Tag("stack")
class RegistrationCrashTest {

    @Test
    void aProcessKilledBeforeTheCommitLeavesNothingVisibleAndARetryRegisters(@TempDir Path dir) throws Exception {
        try (RegistryStack stack = new RegistryStack(dir); AdapterRegistry registry = stack.open()) {
            TrainedOutputs outputs = new TrainedOutputs(stack.store);
            ObjectRef base = outputs.base("crash", 1);
            registry.createModel("crash", base, "", "tester");
            ObjectRef manifest = outputs.mole("run-crash", new TrainedOutputs.Spec().seed(1).base(outputs.baseSha(base)));

            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                    CrashingRegistration.class.getName(), stack.jdbcUrl(), stack.endpoint, RegistryStack.ACCESS,
                    RegistryStack.SECRET, RegistryStack.BUCKET, "crash", manifest.uri())).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
            assertThat(child.waitFor(240, TimeUnit.SECONDS)).isTrue();
            String out = Files.readString(dir.resolve("child.log"), StandardCharsets.UTF_8);
            assertThat(child.exitValue()).as(out).isEqualTo(137);
            assertThat(out).contains("dying before the commit");

            // the blobs were stored (phase 1 finished), yet no version, component or tag row exists
            assertThat(stack.store.list(new ObjectRef(RegistryStack.BUCKET, "registry/blobs/"))).isNotEmpty();
            assertThat(registry.versions("crash", null, 50).items()).isEmpty();
            assertThat(registry.model("crash").orElseThrow().latestVersion()).isZero();
            try (Connection c = stack.dataSource.getConnection();
                 ResultSet rs = c.createStatement().executeQuery("select count(*) from registry_components")) {
                rs.next();
                assertThat(rs.getLong(1)).isZero();
            }
            Registered retry = registry.register(new Registration("crash", manifest, null, null, Map.of(), "tester"));
            assertThat(retry.created()).isTrue();
            assertThat(retry.version().number()).isEqualTo(1);
        }
    }

    @Test
    void aFailureBeforeTheCommitInThisProcessRollsBackToo(@TempDir Path dir) throws Exception {
        try (RegistryStack stack = new RegistryStack(dir)) {
            TrainedOutputs outputs = new TrainedOutputs(stack.store);
            ObjectRef base = outputs.base("fail", 1);
            ObjectRef manifest = outputs.mole("run-fail", new TrainedOutputs.Spec().seed(1).base(outputs.baseSha(base)));
            try (AdapterRegistry failing = RegistryCore.open(stack.dataSource, stack.store, RegistryStack.BUCKET, (m, n) -> {
                throw new IllegalStateException("disk full");
            })) {
                failing.createModel("fail", base, "", "tester");
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> failing.register(
                        new Registration("fail", manifest, null, null, Map.of("a", "b"), "tester"))).hasMessageContaining("disk full");
                assertThat(failing.versions("fail", null, 50).items()).isEmpty();
            }
        }
    }
}
