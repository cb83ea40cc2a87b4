package dev.mole.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mole.contracts.storage.ObjectRef;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The JSON API on a real embedded platform: PostgreSQL, the S3 protocol and Temporal's test server. */
@Tag("stack")
class ConsoleApiTest {
    private static final int ROWS = 2_000;

    @TempDir
    static Path home;
    static ConsoleStack stack;
    static Http http;
    static Path input;

    @BeforeAll
    static void start() throws IOException {
        stack = ConsoleStack.start(home);
        http = new Http(stack.console.url());
        input = stack.glaiveFile("glaive.jsonl", 5L, ROWS);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void curatesThroughTheApiAndServesTheDatasetAndItsManifest() throws Exception {
        Http.Answer started = http.postJson("/api/curations", Map.of("inputUri", input.toString(), "name", "api"));
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        String runId = started.json().get("runId").asText();

        // Asked at once, before the workflow has recorded itself: known, not a 404.
        Http.Answer first = http.get("/api/curations/" + runId);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.json().get("status").asText()).isIn("RUNNING", "COMPLETED");

        JsonNode run = awaitFinished(runId, Duration.ofMinutes(2));
        assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("COMPLETED");
        assertThat(run.get("fraction").asDouble()).isEqualTo(1.0);
        assertThat(run.get("name").asText()).isEqualTo("api");
        String datasetId = run.get("datasetId").asText();

        JsonNode dataset = http.get("/api/datasets/" + datasetId).json();
        assertThat(dataset.get("inputRows").asLong()).isEqualTo(ROWS);
        assertThat(dataset.get("keptRows").asLong() + dataset.get("droppedRows").asLong()).isEqualTo(ROWS);
        assertThat(dataset.get("keptRows").asLong())
                .isEqualTo(dataset.get("trainRows").asLong() + dataset.get("validationRows").asLong());

        // The statistics arrive parsed, and the per-language table adds up to the record's own counts.
        JsonNode stats = dataset.get("statistics");
        assertThat(stats.isObject()).isTrue();
        assertThat(stats.get("inputRows").asLong()).isEqualTo(ROWS);
        assertThat(stats.get("languages")).hasSize(8);
        assertThat(sum(stats.get("languages"), "samples")).isEqualTo(dataset.get("keptRows").asLong());
        assertThat(sum(stats.get("languages"), "trainSamples")).isEqualTo(dataset.get("trainRows").asLong());
        assertThat(sum(stats.get("languages"), "validationSamples")).isEqualTo(dataset.get("validationRows").asLong());
        long dropped = 0;
        for (JsonNode count : stats.get("droppedByReason")) {
            dropped += count.asLong();
        }
        assertThat(dropped).isEqualTo(dataset.get("droppedRows").asLong()).isPositive();

        // The manifest is served byte for byte as the object store holds it.
        Http.Answer manifest = http.get("/api/datasets/" + datasetId + "/manifest");
        assertThat(manifest.status()).isEqualTo(200);
        assertThat(manifest.contentType()).startsWith("application/json");
        byte[] stored = stack.local.platform().blobStore().read(ObjectRef.parse(dataset.get("manifestUri").asText()));
        assertThat(manifest.body()).isEqualTo(new String(stored, StandardCharsets.UTF_8));
        JsonNode m = manifest.json();
        assertThat(m.get("datasetId").asText()).isEqualTo(datasetId);
        assertThat(sum(m.get("shards"), "rows")).isEqualTo(dataset.get("keptRows").asLong());

        // Both lists show it.
        assertThat(ids(http.get("/api/datasets").json(), "datasetId")).contains(datasetId);
        assertThat(ids(http.get("/api/curations").json(), "runId")).contains(runId);
    }

    @Test
    void theApiReadsNoFileOutsideTheCurationInputRoots() throws Exception {
        Http.Answer started = http.postJson("/api/curations", Map.of("inputUri", "/etc/passwd", "format", "jsonl"));
        assertThat(started.status()).as(started.body()).isEqualTo(202);

        JsonNode run = awaitFinished(started.json().get("runId").asText(), Duration.ofMinutes(1));
        assertThat(run.get("status").asText()).isEqualTo("FAILED");
        assertThat(run.get("error").asText()).contains("/etc/passwd is outside the folders curation may read");
        assertThat(run.get("datasetId").isNull()).isTrue();
    }

    @Test
    void aMissingInputFileFailsTheRunWithAMessageNamingIt() throws Exception {
        String missing = home.resolve("no-such-file.jsonl").toString();
        Http.Answer started = http.postJson("/api/curations", Map.of("inputUri", missing));
        assertThat(started.status()).as(started.body()).isEqualTo(202);

        JsonNode run = awaitFinished(started.json().get("runId").asText(), Duration.ofMinutes(1));
        assertThat(run.get("status").asText()).isEqualTo("FAILED");
        assertThat(run.get("error").asText()).contains("no-such-file.jsonl");
        assertThat(run.get("datasetId").isNull()).isTrue();
    }

    @Test
    void aDatasetWhoseManifestVanishedFromTheStoreIs404NotA500() throws Exception {
        Path small = stack.glaiveFile("small.jsonl", 9L, 200);
        Http.Answer started = http.postJson("/api/curations", Map.of("inputUri", small.toString()));
        JsonNode run = awaitFinished(started.json().get("runId").asText(), Duration.ofMinutes(1));
        assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("COMPLETED");
        String datasetId = run.get("datasetId").asText();
        JsonNode dataset = http.get("/api/datasets/" + datasetId).json();
        stack.local.platform().blobStore().delete(ObjectRef.parse(dataset.get("manifestUri").asText()));

        Http.Answer answer = http.get("/api/datasets/" + datasetId + "/manifest");
        assertThat(answer.status()).as(answer.body()).isEqualTo(404);
        assertThat(answer.json().get("error").asText()).contains("missing from the object store");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "no inputUri          | {\"name\":\"x\"}                                        | inputUri is required",
        "blank inputUri       | {\"inputUri\":\"  \"}                                   | inputUri is required",
        "share of one         | {\"inputUri\":\"/x.jsonl\",\"validationShare\":1.0}     | validationShare must be",
        "negative share       | {\"inputUri\":\"/x.jsonl\",\"validationShare\":-0.1}    | validationShare must be",
        "unknown format       | {\"inputUri\":\"/x.jsonl\",\"format\":\"csv\"}          | format must be one of",
        "unknown fence mode   | {\"inputUri\":\"/x.jsonl\",\"fenceMode\":\"loose\"}     | fenceMode must be one of",
        "s3 URI without key   | {\"inputUri\":\"s3://bucket\"}                          | needs a bucket and a key",
        "misspelt field       | {\"inputUri\":\"/x.jsonl\",\"validation_share\":0.1}    | unknown field 'validation_share'",
        "seed not a number    | {\"inputUri\":\"/x.jsonl\",\"seed\":\"abc\"}            | field 'seed' has the wrong type",
        "not JSON             | {inputUri:                                              | not valid JSON",
        "JSON array           | []                                                      | must be a JSON object",
        "empty body           | ``                                                      | JSON object body is required",
    })
    void badBodiesAreRefusedWithAMessageThatSaysWhy(String label, String body, String message) {
        Http.Answer answer = http.post("/api/curations", "application/json", body);
        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.json().get("error").asText()).contains(message);
        assertThat(answer.json().get("status").asInt()).isEqualTo(400);
    }

    @Test
    void aBodyThatIsNotJsonIsRefusedAsUnsupported() {
        Http.Answer answer = http.post("/api/curations", "text/plain", "inputUri=/x.jsonl");
        assertThat(answer.status()).isEqualTo(415);
        assertThat(answer.json().get("error").asText()).contains("application/json");
    }

    @Test
    void unknownRunsAndDatasetsAre404WithAJsonError() {
        for (String path : new String[] {"/api/curations/curation-nope", "/api/datasets/nope",
                "/api/datasets/nope/manifest"}) {
            Http.Answer answer = http.get(path);
            assertThat(answer.status()).as(path).isEqualTo(404);
            assertThat(answer.json().get("error").asText()).as(path).contains("nope");
            assertThat(answer.json().get("path").asText()).isEqualTo(path);
        }
        assertThat(http.get("/api/curations?limit=0").status()).isEqualTo(400);
        assertThat(http.get("/api/curations?limit=abc").status()).isEqualTo(400);
    }

    @Test
    void thePageAndItsScriptAreServed() {
        Http.Answer page = http.get("/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.body()).contains("<title>MoLE console</title>", "console.js");
        assertThat(http.get("/console.js").status()).isEqualTo(200);
        assertThat(http.get("/console.css").status()).isEqualTo(200);
    }

    @Test
    void refusesRequestsAddressedToAnotherHostName() {
        // What a DNS-rebinding page would send: its own host name, resolved to 127.0.0.1.
        assertThat(rawStatus("evil.example")).isEqualTo(403);
        assertThat(rawStatus("127.0.0.1.evil.example")).isEqualTo(403);
        assertThat(rawStatus("localhost")).isEqualTo(200);
        assertThat(rawStatus("127.0.0.1")).isEqualTo(200);
    }

    @Test
    void listensOnLoopbackOnly() throws IOException {
        Optional<InetAddress> external = NetworkInterface.networkInterfaces()
                .filter(i -> {
                    try {
                        return i.isUp() && !i.isLoopback();
                    } catch (IOException e) {
                        return false;
                    }
                })
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address)
                .findFirst();
        Assumptions.assumeTrue(external.isPresent(), "this machine has no non-loopback IPv4 address to try");
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(external.get(), stack.console.port()), 2_000);
            throw new AssertionError("the console answered on " + external.get());
        } catch (java.net.ConnectException expected) {
            // refused: nothing listens there
        }
    }

    @Test
    void aPortInUseIsReportedInOneLineNamingIt() throws IOException {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> ConsoleServer.start(stack.local.platform(), "127.0.0.1", port).close())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot start the console on 127.0.0.1:" + port)
                    .hasMessageContaining("port " + port + " is already in use");
        }
        // The failed start left the running console alone.
        assertThat(http.get("/api/datasets").status()).isEqualTo(200);
    }

    @Test
    void closingAConsoleLeavesThePlatformItServedRunning() {
        ConsoleServer second = ConsoleServer.start(stack.local.platform(), "127.0.0.1", 0);
        assertThat(second.port()).isNotEqualTo(stack.console.port());
        assertThat(new Http(second.url()).get("/api/curations/curation-none").status()).isEqualTo(404);
        second.close();

        // Temporal, PostgreSQL and the object store are still usable through the first console.
        assertThat(http.get("/api/curations/curation-none").status()).isEqualTo(404);
        assertThat(http.get("/api/curations").status()).isEqualTo(200);
        assertThat(http.get("/api/datasets").status()).isEqualTo(200);
    }

    private static int rawStatus(String host) {
        return Http.statusForHost(stack.console.port(), host + ":" + stack.console.port(), "/api/datasets");
    }

    private static JsonNode awaitFinished(String runId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode run;
        do {
            Http.Answer answer = http.get("/api/curations/" + runId);
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            run = answer.json();
            if (!"RUNNING".equals(run.get("status").asText())) {
                return run;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("run " + runId + " still running after " + timeout + ": " + run);
    }

    private static long sum(JsonNode array, String field) {
        long total = 0;
        for (JsonNode n : array) {
            total += n.get(field).asLong();
        }
        return total;
    }

    private static java.util.List<String> ids(JsonNode array, String field) {
        java.util.List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.get(field).asText()));
        return out;
    }
}
