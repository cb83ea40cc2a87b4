package dev.mole.orchestrator.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mole.contracts.config.PlatformSettings;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.orchestrator.TestStacks;
import dev.mole.orchestrator.platform.Platform;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("stack")
class EmbeddedStackTest {

    @TempDir
    Path home;

    @Test
    void startsRealServicesOnLoopbackAndKeepsDataAcrossRestarts() throws Exception {
        PlatformSettings settings = TestStacks.embedded(home);
        ObjectRef blob = new ObjectRef("mole", "probe/hello.txt");
        try (EmbeddedStack stack = EmbeddedStack.start(settings); Platform p = Platform.connect(stack.endpoints())) {
            assertThat(stack.endpoints().jdbcUrl()).startsWith("jdbc:postgresql://127.0.0.1:");
            assertThat(stack.endpoints().s3Endpoint()).startsWith("http://127.0.0.1:");
            assertThat(stack.endpoints().temporalTarget()).startsWith("127.0.0.1:");
            try (Connection c = p.dataSource().getConnection(); Statement st = c.createStatement()) {
                assertThat(single(st, "show fsync")).isEqualTo("on");
                assertThat(single(st, "show synchronous_commit")).isEqualTo("on");
                assertThat(single(st, "show listen_addresses")).isEqualTo("127.0.0.1");
                assertThat(single(st, "select count(*) from flyway_schema_history where not success")).isEqualTo("0");
                assertThat(org.flywaydb.core.Flyway.configure().dataSource(p.dataSource()).load().info().pending())
                        .as("every migration script applied").isEmpty();
                st.execute("insert into curation_runs (run_id, name, input_uri, request, status) "
                        + "values ('r1', 'n', 'in', '{}', 'RUNNING')");
            }
            p.blobStore().put(blob, "hello".getBytes(StandardCharsets.UTF_8), "text/plain");
            assertThat(p.workflowClient().getWorkflowServiceStubs().healthCheck().getStatus().name()).isEqualTo("SERVING");
        }
        // Second start on the same home: the database row and the object are still there.
        try (EmbeddedStack stack = EmbeddedStack.start(settings); Platform p = Platform.connect(stack.endpoints())) {
            try (Connection c = p.dataSource().getConnection(); Statement st = c.createStatement()) {
                assertThat(single(st, "select name from curation_runs where run_id = 'r1'")).isEqualTo("n");
            }
            assertThat(new String(p.blobStore().read(blob), StandardCharsets.UTF_8)).isEqualTo("hello");
        }
    }

    @Test
    void aPortInUseIsReportedAsASentence() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            PlatformSettings settings = TestStacks.embedded(home).withPorts(0, 0, taken.getLocalPort(), 0);
            assertThatThrownBy(() -> EmbeddedStack.start(settings))
                    .isInstanceOf(StackStartException.class)
                    .hasMessageContaining("Port " + taken.getLocalPort())
                    .hasMessageContaining("already in use")
                    .hasMessageContaining("MOLE_S3_PORT");
        }
        // The PostgreSQL started before the clash was stopped again: a new stack on the same home starts cleanly.
        try (EmbeddedStack stack = EmbeddedStack.start(TestStacks.embedded(home))) {
            assertThat(stack.endpoints().jdbcUrl()).isNotBlank();
        }
    }

    private static String single(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
