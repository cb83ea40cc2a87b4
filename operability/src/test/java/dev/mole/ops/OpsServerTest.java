package dev.mole.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Metrics;
import io.temporal.testing.TestWorkflowEnvironment;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpsServerTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private TestWorkflowEnvironment temporal;
    private OpsServer server;

    @BeforeEach
    void start() {
        temporal = TestWorkflowEnvironment.newInstance();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        temporal.close();
    }

    private static HttpResponse<String> get(URI base, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(base.resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthReadinessAndMetrics() throws Exception {
        AtomicBoolean storeUp = new AtomicBoolean(true);
        ReadinessCheck store = new ReadinessCheck("object-store", () -> {
            if (!storeUp.get()) {
                throw new java.net.ConnectException("Connection refused");
            }
        });
        server = OpsServer.start(new OpsSettings("127.0.0.1", 0), "test-process",
                List.of(store, ReadinessCheck.temporal(temporal.getWorkflowServiceStubs())),
                List.of(new TaskQueueBacklog(temporal.getWorkflowServiceStubs(), "default", List.of("q"))));
        URI base = server.url();
        assertThat(base.getHost()).isEqualTo("127.0.0.1");

        HttpResponse<String> health = get(base, "/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"up\"", "\"process\":\"test-process\"");

        HttpResponse<String> ready = get(base, "/ready");
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        JsonNode body = new ObjectMapper().readTree(ready.body());
        assertThat(body.get("checks").get("temporal").asText()).isEqualTo("ok");
        assertThat(body.get("checks").get("object-store").asText()).isEqualTo("ok");

        storeUp.set(false);
        HttpResponse<String> notReady = get(base, "/ready");
        assertThat(notReady.statusCode()).isEqualTo(503);
        JsonNode failed = new ObjectMapper().readTree(notReady.body());
        assertThat(failed.get("status").asText()).isEqualTo("not ready");
        assertThat(failed.get("notReady").toString()).isEqualTo("[\"object-store\"]");
        assertThat(failed.get("checks").get("object-store").asText()).isEqualTo("ConnectException: Connection refused");
        assertThat(failed.get("checks").get("temporal").asText()).isEqualTo("ok");

        Metrics.counter("mole.ops.test.events", "kind", "x").increment(3);
        HttpResponse<String> metrics = get(base, "/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(metrics.body())
                .contains("mole_ops_test_events_total{kind=\"x\",process=\"test-process\"} 3.0")
                // the Java test server has no DescribeTaskQueue: said, and no invented backlog
                .contains("mole_task_queue_backlog_supported{process=\"test-process\"} 0.0")
                .doesNotContain("mole_task_queue_backlog{")
                .contains("jvm_memory_used_bytes");

        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(base.resolve("/ready"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }

    @Test
    void aCheckThatHangsIsNotReadyWithinItsTimeout() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        server = OpsServer.start(new OpsSettings("127.0.0.1", 0), "p",
                List.of(new ReadinessCheck("postgresql", never::await)), List.of());
        long t0 = System.nanoTime();
        HttpResponse<String> ready = get(server.url(), "/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("\"postgresql\":\"no answer within 3 s\"");
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(10);
    }

    @Test
    void aPortInUseIsAClearError() {
        server = OpsServer.start(new OpsSettings("127.0.0.1", 0), "p", List.of(), List.of());
        int taken = server.url().getPort();
        assertThatThrownBy(() -> OpsServer.start(new OpsSettings("127.0.0.1", taken), "q", List.of(), List.of()))
                .hasMessageContaining("127.0.0.1:" + taken).hasMessageContaining("MOLE_OPS_PORT");
        assertThatThrownBy(() -> new OpsSettings("127.0.0.1", 70000)).hasMessageContaining("mole.ops.port");
    }
}
