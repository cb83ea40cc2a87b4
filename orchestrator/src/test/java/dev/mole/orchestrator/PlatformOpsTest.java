package dev.mole.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mole.contracts.config.PlatformSettings;
import dev.mole.contracts.curation.CurationRequest;
import dev.mole.orchestrator.curation.GlaiveLikeGenerator;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A platform's /health, /ready and /metrics on the real embedded stack, with an object store of the test's own that it
 * stops half-way, so readiness must turn 503 and say which connection went.
 */
@Tag("stack")
class PlatformOpsTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private static HttpResponse<String> get(URI base, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readyWhileItsServicesAnswerAndMetricsCountRunsByState() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        String endpoint = "http://127.0.0.1:" + port;
        java.nio.file.Files.createDirectories(dir.resolve("s3"));
        S3Proxy s3 = S3Proxy.builder().blobStore(new FilesystemNio2BlobStore(dir.resolve("s3").toFile().getPath()))
                .endpoint(URI.create(endpoint))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "ops-access", "ops-secret-key").build();
        s3.start();
        while (!"STARTED".equals(s3.getState())) {
            Thread.sleep(20);
        }
        Path home = dir.resolve("mole");
        PlatformSettings settings = PlatformSettings.from(Map.of("MOLE_S3_ENDPOINT", endpoint,
                        "MOLE_S3_ACCESS_KEY", "ops-access", "MOLE_S3_SECRET_KEY", "ops-secret-key"), k -> null)
                .withHome(home).withPorts(0, 0, 0, 0).withCurationInputRoots(List.of(dir));
        try (LocalPlatform local = LocalPlatform.start(settings)) {
            URI ops = local.ops().url();
            assertThat(ops.getHost()).isEqualTo("127.0.0.1");
            assertThat(get(ops, "/health").statusCode()).isEqualTo(200);
            HttpResponse<String> ready = get(ops, "/ready");
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            assertThat(ready.body()).contains("\"postgresql\":\"ok\"", "\"object-store\":\"ok\"", "\"temporal\":\"ok\"");

            Path input = dir.resolve("glaive.jsonl");
            new GlaiveLikeGenerator(5L).write(input, 300);
            CurationService curation = new CurationService(local.platform().workflowClient());
            curation.await(curation.start(CurationRequest.of(input.toString())), Duration.ofMinutes(5));

            String metrics = get(ops, "/metrics").body();
            assertThat(metrics)
                    .contains("mole_runs{kind=\"curation\",process=\"platform\",state=\"COMPLETED\"} 1.0")
                    .contains("mole_runs{kind=\"curation\",process=\"platform\",state=\"RUNNING\"} 0.0")
                    .contains("mole_runs{kind=\"finetune\",process=\"platform\",state=\"FAILED\"} 0.0")
                    .contains("mole_runs{kind=\"evaluation\",process=\"platform\",state=\"COMPLETED\"} 0.0")
                    .contains("mole_task_queue_backlog_supported{process=\"platform\"} 0.0");

            s3.stop();
            HttpResponse<String> down = get(ops, "/ready");
            assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
            JsonNode body = new ObjectMapper().readTree(down.body());
            assertThat(body.get("notReady").toString()).isEqualTo("[\"object-store\"]");
            assertThat(body.get("checks").get("object-store").asText()).isNotEqualTo("ok").isNotBlank();
            assertThat(body.get("checks").get("postgresql").asText()).isEqualTo("ok");
            assertThat(body.get("checks").get("temporal").asText()).isEqualTo("ok");
            assertThat(get(ops, "/health").statusCode()).isEqualTo(200); // alive, just not ready
        } finally {
            if (!"STOPPED".equals(s3.getState())) {
                s3.stop();
            }
        }
    }
}
