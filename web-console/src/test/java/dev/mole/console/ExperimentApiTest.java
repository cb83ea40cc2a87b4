package dev.mole.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/experiments} on a real embedded platform with the real experiment, arm/seed and evaluation workflows on
 * the CPU worker. No GPU worker generates, so the No-FT arm's evaluation waits for one: long enough to see the running
 * experiment, cancel it, find the cancellation recorded, and retry it.
 */
@Tag("stack")
class ExperimentApiTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path home;
    static FinetuneStack fixture;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        fixture = FinetuneStack.start(home, 21L, 300);
        http = fixture.http;
    }

    @AfterAll
    static void stop() {
        Closing.inOrder(fixture);
    }

    static Map<String, Object> form(List<Map<String, Object>> arms) {
        Map<String, Object> f = new HashMap<>(Map.of("name", "api experiment", "dataset", fixture.dataset.datasetId(),
                "base", fixture.base, "seeds", List.of(1, 2), "kinds", List.of("synthesis"), "languages", List.of("python"),
                "limit", 1, "maxNewTokens", 16));
        f.put("arms", arms);
        return f;
    }

    @Test
    void badInputIsRefusedNamingWhatToChange() {
        Http.Answer noArms = http.postJson("/api/experiments", form(List.of()));
        assertThat(noArms.status()).isEqualTo(400);
        assertThat(noArms.json().get("error").asText()).startsWith("arms:");

        Http.Answer badMethod = http.postJson("/api/experiments", form(List.of(Map.of("method", "lorax"))));
        assertThat(badMethod.status()).isEqualTo(400);
        assertThat(badMethod.json().get("error").asText()).contains("unknown method 'lorax'");

        Map<String, Object> unknownDataset = form(List.of(Map.of("method", "no_ft")));
        unknownDataset.put("dataset", "ffffffffffffffff");
        assertThat(http.postJson("/api/experiments", unknownDataset).status()).isEqualTo(404);

        Map<String, Object> noBase = form(List.of(Map.of("method", "no_ft")));
        noBase.put("base", "s3://mole/models/none");
        Http.Answer refused = http.postJson("/api/experiments", noBase);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("error").asText()).isEqualTo("base model s3://mole/models/none has no config.json");

        assertThat(http.get("/api/experiments/experiment-none").status()).isEqualTo(404);
    }

    @Test
    void anExperimentStartsShowsItsRowsCancelsAndRetries() throws Exception {
        Map<String, Object> f = form(List.of(Map.of("method", "no-ft")));
        Http.Answer started = http.postJson("/api/experiments", f);
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        String id = started.json().get("experimentId").asText();
        assertThat(id).startsWith("experiment-");
        assertThat(http.postJson("/api/experiments", f).json().get("experimentId").asText())
                .as("the same request is the same experiment").isEqualTo(id);

        JsonNode evaluating = await(id, d -> d.get("armSeeds").size() == 1
                && d.get("armSeeds").get(0).get("state").asText().equals("EVALUATING"));
        assertThat(evaluating.get("experiment").get("status").asText()).isEqualTo("RUNNING");
        assertThat(evaluating.get("armSeeds").get(0).get("arm").asText()).as("No-FT runs once, whatever the seeds").isEqualTo("no_ft");
        assertThat(evaluating.get("comparison").get("arms").get(0).get("arm").asText()).isEqualTo("no_ft");
        assertThat(evaluating.get("comparison").get("columns")).extracting(JsonNode::asText).containsExactly("synthesis");
        JsonNode listed = http.get("/api/experiments").json();
        assertThat(listed).anyMatch(e -> e.get("experimentId").asText().equals(id));

        assertThat(http.postJson("/api/experiments/" + id + "/cancel", Map.of()).status()).isEqualTo(202);
        JsonNode cancelled = await(id, d -> d.get("experiment").get("status").asText().equals("CANCELLED"));
        assertThat(cancelled.get("armSeeds").get(0).get("state").asText()).isEqualTo("CANCELLED");
        Http.Answer again = http.postJson("/api/experiments/" + id + "/cancel", Map.of());
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.json().get("error").asText()).contains("not running (CANCELLED)");

        assertThat(http.postJson("/api/experiments/" + id + "/retry", Map.of()).status()).isEqualTo(202);
        await(id, d -> d.get("experiment").get("status").asText().equals("RUNNING")
                && d.get("armSeeds").get(0).get("state").asText().equals("EVALUATING"));
        assertThat(http.postJson("/api/experiments/" + id + "/cancel", Map.of()).status()).isEqualTo(202);
        await(id, d -> d.get("experiment").get("status").asText().equals("CANCELLED"));
    }

    private static JsonNode await(String id, Predicate<JsonNode> until) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            Http.Answer a = http.get("/api/experiments/" + id);
            if (a.status() == 200) {
                last = a.json();
                if (until.test(last)) return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("experiment " + id + " did not get there in " + WAIT + "; last: " + last);
    }
}
