package dev.mole.sandbox.activity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mole.contracts.sandbox.SandboxActivities;
import dev.mole.contracts.sandbox.SandboxProgram;
import dev.mole.contracts.sandbox.SandboxResult;
import dev.mole.contracts.sandbox.SandboxVerdict;
import dev.mole.contracts.storage.BlobStore;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.contracts.language.Language;
import dev.mole.sandbox.Sandbox;
import dev.mole.sandbox.SandboxConfig;
import io.temporal.testing.TestActivityEnvironment;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The batch activity against the platform's BlobStore on an in-process S3 server, inside Temporal's activity test environment. */
@Tag("sandbox")
class SandboxActivitiesImplTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static S3Proxy s3;
    private static BlobStore store;
    private static Sandbox sandbox;

    @BeforeAll
    static void start(@TempDir Path s3Dir) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        s3 = S3Proxy.builder().blobStore(new FilesystemNio2BlobStore(s3Dir.toString()))
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "test-access", "test-secret-key").build();
        s3.start();
        while (!"STARTED".equals(s3.getState())) {
            Thread.sleep(20);
        }
        store = new BlobStore("http://127.0.0.1:" + port, "test-access", "test-secret-key");
        store.ensureBucket("runs");
        sandbox = Sandbox.start(SandboxConfig.defaults().withLanguages(EnumSet.of(Language.PYTHON, Language.JAVASCRIPT)));
    }

    @AfterAll
    static void stop() throws Exception {
        if (sandbox != null) {
            sandbox.close();
        }
        if (s3 != null) {
            s3.stop();
        }
    }

    @Test
    void runsABatchReferencedInTheObjectStoreAndWritesResultsBeside() throws Exception {
        List<SandboxProgram> programs = List.of(
                new SandboxProgram("p1", "python", "Python/x", "def f():\n", "    return 1\n", "assert f() == 1\n", "", ""),
                new SandboxProgram("p2", "python", "Python/x", "def f():\n", "    return 2\n", "assert f() == 1\n", "", ""),
                new SandboxProgram("p3", "js", "JavaScript/x", "const f = () => {\n", "  return 2\n}\n", "console.assert(f() === 1)\n", "", ""));
        StringBuilder jsonl = new StringBuilder();
        for (SandboxProgram p : programs) {
            jsonl.append(JSON.writeValueAsString(p)).append('\n');
        }
        jsonl.append("{not json\n");
        ObjectRef batch = new ObjectRef("runs", "run-1/sandbox/batch-0001.jsonl");
        store.put(batch, jsonl.toString().getBytes(StandardCharsets.UTF_8), "application/x-ndjson");

        TestActivityEnvironment env = TestActivityEnvironment.newInstance();
        List<Integer> heartbeats = Collections.synchronizedList(new ArrayList<>());
        env.setActivityHeartbeatListener(Integer.class, heartbeats::add);
        env.registerActivitiesImplementations(new SandboxActivitiesImpl(sandbox, BatchStorage.of(store)));
        SandboxActivities activities = env.newActivityStub(SandboxActivities.class);

        ObjectRef out = activities.runBatch(batch);

        assertThat(out).isEqualTo(new ObjectRef("runs", "run-1/sandbox/batch-0001.results.jsonl"));
        List<SandboxResult> results = new ArrayList<>();
        for (String line : new String(store.read(out), StandardCharsets.UTF_8).split("\n")) {
            results.add(JSON.readValue(line, SandboxResult.class));
        }
        assertThat(results).extracting(SandboxResult::id).containsExactly("p1", "p2", "p3", "line-4");
        assertThat(results).extracting(SandboxResult::verdict).containsExactly(
                SandboxVerdict.PASS, SandboxVerdict.FAIL, SandboxVerdict.FAIL, SandboxVerdict.SANDBOX_ERROR);
        assertThat(results.get(2).reason()).contains("stderr");
        // The activity heartbeats once per finished program; the SDK coalesces heartbeats within its throttle interval,
        // so the listener sees the first and then the latest count, never more than the number of programs.
        assertThat(heartbeats).isNotEmpty().isSorted().allSatisfy(n -> assertThat(n).isBetween(1, 3));

        // A retry after the results were written returns them without running again.
        List<Integer> before = List.copyOf(heartbeats);
        assertThat(activities.runBatch(batch)).isEqualTo(out);
        assertThat(heartbeats).isEqualTo(before);
        env.close();
    }
}
