package dev.mole.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.contracts.training.FinetuneSummary;
import dev.mole.contracts.training.TrainingProgress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code /api/finetunes} on a real embedded platform (PostgreSQL, S3, Temporal's test server, the real finetune workflow
 * on the CPU worker), with {@link FakeGpuWorker} on the GPU queue so seeds can be held mid-training.
 */
@Tag("stack")
class FinetuneApiTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path home;
    static FinetuneStack fixture;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        fixture = FinetuneStack.start(home, 11L, 400);
        http = fixture.http;
    }

    @AfterAll
    static void stop() {
        Closing.inOrder(fixture);
    }

    @Test
    void seedsShowLiveProgressThenTheirStoredCurvesAndTheRunItsSummary() throws Exception {
        double lr = 2e-4;
        String runId = start(Map.of("dataset", fixture.dataset.datasetId(), "baseCheckpoint", fixture.base,
                "name", "api run", "method", "mole", "variant", "56+8", "seeds", List.of(4, 5), "maxSteps", 10, "learningRate", lr,
                "precision", "fp16"));

        // Asked at once, before the workflow has recorded itself: known, not a 404.
        Http.Answer first = http.get("/api/finetunes/" + runId);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.json().get("run").get("status").asText()).isEqualTo("RUNNING");

        JsonNode held = await(runId, d -> seedsWith(d, "RUNNING", FakeGpuWorker.HELD_AT_STEP) == 2);
        assertThat(held.get("request").get("variant").asText()).isEqualTo("56+8");
        assertThat(held.get("request").get("hyper").get("learningRate").asDouble()).isEqualTo(lr);
        assertThat(held.get("request").get("hyper").get("effectiveBatch").asInt()).as("paper default").isEqualTo(64);
        assertThat(held.get("request").get("hyper").get("precision").asText()).isEqualTo("fp16");
        assertThat(held.get("request").get("datasetManifest").get("key").asText())
                .isEqualTo(ObjectRef.parse(fixture.dataset.manifestUri()).key());
        for (JsonNode seed : held.get("seeds")) {
            TrainingProgress sent = FakeGpuWorker.progress(seed.get("seed").asLong(), lr, FakeGpuWorker.HELD_AT_STEP, 10);
            JsonNode progress = seed.get("progress");
            assertThat(progress.get("totalSteps").asLong()).isEqualTo(10);
            assertThat(progress.get("loss").asDouble()).isEqualTo(sent.loss());
            assertThat(progress.get("learningRate").asDouble()).isEqualTo(sent.learningRate());
            assertThat(progress.get("tokensPerSecond").asDouble()).isEqualTo(sent.tokensPerSecond());
            assertThat(progress.get("etaSeconds").asDouble()).isEqualTo(sent.etaSeconds());
            assertThat(seed.get("live").get("state").asText()).isEqualTo("started");
            assertThat(seed.get("live").get("attempt").asInt()).isEqualTo(1);
            assertThat(losses(seed.get("lossCurves").get("train")))
                    .containsExactlyElementsOf(sent.lossCurve().stream().map(p -> p.loss()).toList());
        }
        JsonNode listed = listed(runId);
        assertThat(listed.get("status").asText()).isEqualTo("RUNNING");
        assertThat(listed.get("name").asText()).isEqualTo("api run");
        assertThat(listed.get("method").asText()).isEqualTo("MOLE");
        assertThat(listed.get("seedsDone").asInt()).isZero();
        assertThat(listed.get("seedsTotal").asInt()).isEqualTo(2);
        assertThat(listed.get("summary").isNull()).isTrue();

        fixture.gpu.release(runId, 4);
        JsonNode oneDone = await(runId, d -> "COMPLETED".equals(seed(d, 4).get("status").asText()));
        assertThat(seed(oneDone, 5).get("status").asText()).isEqualTo("RUNNING");
        JsonNode four = seed(oneDone, 4);
        assertThat(four.get("result").get("steps").asLong()).isEqualTo(10);
        assertThat(four.get("result").get("outputManifest").asText()).endsWith("runs/" + runId + "/seed-4/manifest.json");
        assertThat(losses(four.get("lossCurves").get("train"))).hasSize(10)
                .containsExactlyElementsOf(FakeGpuWorker.progress(4, lr, 10, 10).lossCurve().stream()
                        .map(p -> p.loss()).toList());
        assertThat(four.get("validationCurves").get("train")).hasSize(2);
        assertThat(listed(runId).get("seedsDone").asInt()).isEqualTo(1);

        fixture.gpu.release(runId, 5);
        JsonNode done = await(runId, d -> !"RUNNING".equals(d.get("run").get("status").asText()));
        assertThat(done.get("run").get("status").asText()).as(done.toString()).isEqualTo("COMPLETED");
        for (String language : FakeGpuWorker.LANGUAGES) {
            FinetuneSummary.Spread expected = FinetuneSummary.Spread.of(List.of(
                    FakeGpuWorker.validationLoss(4, lr, language), FakeGpuWorker.validationLoss(5, lr, language)));
            JsonNode spread = done.get("run").get("summary").get(language);
            assertThat(spread.get("mean").asDouble()).as(language).isCloseTo(expected.mean(), within(1e-12));
            assertThat(spread.get("std").asDouble()).as(language).isCloseTo(expected.std(), within(1e-12)).isPositive();
            assertThat(spread.get("n").asInt()).isEqualTo(2);
        }
        assertThat(listed(runId).get("summary").get("all").get("mean").asDouble())
                .isEqualTo(done.get("run").get("summary").get("all").get("mean").asDouble());
        assertThat(listed(runId).get("seedsDone").asInt()).isEqualTo(2);
    }

    @Test
    void aFailingSeedFailsTheRunAndItsReasonIsShownOnThatSeed() throws Exception {
        String runId = start(Map.of("dataset", fixture.dataset.datasetId(), "baseCheckpoint", fixture.base,
                "method", "ALL_LANG",                "seeds", List.of(1, FakeGpuWorker.FAILING_SEED), "maxSteps", 6));
        await(runId, d -> seedsWith(d, "RUNNING", FakeGpuWorker.HELD_AT_STEP) == 1);
        fixture.gpu.release(runId, 1);

        JsonNode done = await(runId, d -> !"RUNNING".equals(d.get("run").get("status").asText()));
        assertThat(done.get("run").get("status").asText()).isEqualTo("FAILED");
        assertThat(done.get("run").get("error").asText()).contains(FakeGpuWorker.FAILURE);
        assertThat(done.get("run").get("variant").asText()).as("the method's default").isEqualTo("64");
        assertThat(done.get("run").get("summary").isNull()).isTrue();
        JsonNode failed = seed(done, FakeGpuWorker.FAILING_SEED);
        assertThat(failed.get("status").asText()).isEqualTo("FAILED");
        assertThat(failed.get("error").asText()).isEqualTo(FakeGpuWorker.FAILURE);
        assertThat(seed(done, 1).get("status").asText()).isEqualTo("COMPLETED");
        assertThat(seed(done, 1).get("lossCurves").get("train")).hasSize(6);
    }

    @Test
    void aDatasetIsNamedByItsIdAPrefixOfItOrItsManifest() throws Exception {
        String byPrefix = start(Map.of("dataset", fixture.dataset.datasetId().substring(0, 12),
                "baseCheckpoint", fixture.base + "/",                "seeds", List.of(1), "maxSteps", 4));
        String byManifest = start(Map.of("dataset", fixture.dataset.manifestUri(), "baseCheckpoint", fixture.base,
                "seeds", List.of(1),                "maxSteps", 4));
        for (String runId : List.of(byPrefix, byManifest)) {
            JsonNode run = await(runId, d -> d.get("request") != null && !d.get("request").isNull());
            assertThat(run.get("run").get("datasetManifest").asText()).isEqualTo(fixture.dataset.manifestUri());
            assertThat(run.get("run").get("baseCheckpoint").asText()).isEqualTo(fixture.base);
            fixture.gpu.release(runId, 1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "no dataset            | {\"baseCheckpoint\":\"BASE\"}                                        | dataset is required",
        "no base               | {\"dataset\":\"DATASET\"}                                            | baseCheckpoint is required",
        "base not s3           | {\"dataset\":\"DATASET\",\"baseCheckpoint\":\"/models/x\"}           | must be an s3://bucket/prefix folder",
        "base bucket only      | {\"dataset\":\"DATASET\",\"baseCheckpoint\":\"s3://mole\"}           | needs a bucket and a key",
        "base without config   | {\"dataset\":\"DATASET\",\"baseCheckpoint\":\"s3://mole/models/no\"} | holds no config.json",
        "unknown method        | {\"dataset\":\"DATASET\",\"baseCheckpoint\":\"BASE\",\"method\":\"lora\"}             | method must be one of [MOLE, ALL_LANG, PER_LANG, FULL_FT, NO_FT, MULTIPL_MOE]",
        "MoLE rank alone       | {\"dataset\":\"DATASET\",\"baseCheckpoint\":\"BASE\",\"variant\":\"64\"}               | variant of MOLE must be shared+expert ranks",
        "MoLE zero ranks       | {\"dataset\":\"DATASET\",\"baseCheckpoint\":\"BASE\",\"variant\":\"0+0\"}              | variant of MOLE must be shared+expert ranks",
        "LoRA with two ranks   | {\"dataset\":\"DATASET\",\"baseCheckpoint\":\"BASE\",\"method\":\"PER_LANG\",\"variant\":\"48+16\"} | variant of PER_LANG must be a LoRA rank",
        "full FT with variant  | {\"dataset\":\"DATASET\",\"baseCheckpoint\":\"BASE\",\"method\":\"FULL_FT\",\"variant\":\"64\"}    | variant does not apply to FULL_FT",
        "no-FT with init       | {\"dataset\":\"DATASET\",\"baseCheckpoint\":\"BASE\",\"method\":\"NO_FT\",\"init\":\"std\"}         | init does not apply to NO_FT",
        "unknown init          | {\"dataset\":\"DATASET\",\"baseCheckpoint\":\"BASE\",\"init\":\"xavier\"}             | init must be one of shared_first, shared_last, std, nl_expert",
        "nl_expert on LoRA     | {\"dataset\":\"DATASET\",\"baseCheckpoint\":\"BASE\",\"method\":\"ALL_LANG\",\"init\":\"nl_expert\"} | init nl_expert is a MoLE layout",
        "repeated seed         | {\"dataset\":\"DATASET\",\"baseCheckpoint\":\"BASE\",\"seeds\":[1,2,1]}               | seeds must be distinct; 1 is listed twice",
        "null seed             | {\"dataset\":\"DATASET\",\"baseCheckpoint\":\"BASE\",\"seeds\":[1,null]}              | seeds must be whole numbers",
        "seventeen seeds       | {\"dataset\":\"DATASET\",\"baseCheckpoint\":\"BASE\",\"seeds\":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17]} | at most 16 seeds",
        "zero learning rate    | {\"dataset\":\"DATASET\",\"baseCheckpoint\":\"BASE\",\"learningRate\":0}             | learningRate must be above 0 and at most 1; got 0",
        "bf16 precision        | {\"dataset\":\"DATASET\",\"baseCheckpoint\":\"BASE\",\"precision\":\"bf16\"}         | precision bf16 is not supported: DJL's PyTorch engine aborts on bf16 tensors; use fp16 or fp32",
        "zero epochs           | {\"dataset\":\"DATASET\",\"baseCheckpoint\":\"BASE\",\"epochs\":0}                   | epochs must be between 1 and 1000; got 0",
        "tiny max length       | {\"dataset\":\"DATASET\",\"baseCheckpoint\":\"BASE\",\"maxLength\":4}                | maxLength must be between 8",
        "negative max steps    | {\"dataset\":\"DATASET\",\"baseCheckpoint\":\"BASE\",\"maxSteps\":-1}                | maxSteps must be at least 0; got -1",
        "zero batch            | {\"dataset\":\"DATASET\",\"baseCheckpoint\":\"BASE\",\"effectiveBatch\":0}            | effectiveBatch must be between 1",
        "misspelt field        | {\"dataset\":\"DATASET\",\"baseCheckpoint\":\"BASE\",\"lr\":0.001}                   | unknown field 'lr'",
        "seeds not numbers     | {\"dataset\":\"DATASET\",\"baseCheckpoint\":\"BASE\",\"seeds\":[\"a\"]}              | field 'seeds.[0]' has the wrong type",
        "short prefix          | {\"dataset\":\"SHORT\",\"baseCheckpoint\":\"BASE\"}                                 | no dataset",
        "JSON array            | []                                                                                  | must be a JSON object with at least dataset and baseCheckpoint",
        "empty body            | ``                                                                                  | JSON object body is required",
    })
    void badBodiesAreRefusedWithAMessageThatSaysWhy(String label, String body, String message) {
        int before = http.get("/api/finetunes?limit=200").json().size();
        Http.Answer answer = http.post("/api/finetunes", "application/json", body
                .replace("DATASET", fixture.dataset.datasetId())
                .replace("SHORT", fixture.dataset.datasetId().substring(0, 6))
                .replace("BASE", fixture.base));
        assertThat(answer.status()).as(answer.body()).isEqualTo(label.equals("short prefix") ? 404 : 400);
        assertThat(answer.json().get("error").asText()).contains(message);
        assertThat(http.get("/api/finetunes?limit=200").json().size()).as("nothing started").isEqualTo(before);
    }

    @Test
    void unknownDatasetsAndRunsAre404AndOtherMistakesSayWhat() {
        Http.Answer unknown = http.postJson("/api/finetunes",
                Map.of("dataset", "f".repeat(64), "baseCheckpoint", fixture.base));
        assertThat(unknown.status()).as(unknown.body()).isEqualTo(404);
        assertThat(unknown.json().get("error").asText()).isEqualTo("no dataset " + "f".repeat(64));

        String missingManifest = "s3://" + fixture.stack.local.platform().bucket() + "/datasets/none/manifest.json";
        Http.Answer manifest = http.postJson("/api/finetunes",
                Map.of("dataset", missingManifest, "baseCheckpoint", fixture.base));
        assertThat(manifest.status()).isEqualTo(404);
        assertThat(manifest.json().get("error").asText()).contains("no dataset manifest at " + missingManifest);

        Http.Answer run = http.get("/api/finetunes/finetune-nope");
        assertThat(run.status()).isEqualTo(404);
        assertThat(run.json().get("error").asText()).isEqualTo("no finetune run finetune-nope");
        // A curation's id names a workflow, but not a finetune run.
        String curationRunId = http.get("/api/curations").json().get(0).get("runId").asText();
        assertThat(http.get("/api/finetunes/" + curationRunId).status()).isEqualTo(404);

        Http.Answer form = http.post("/api/finetunes", "application/x-www-form-urlencoded", "dataset=x");
        assertThat(form.status()).isEqualTo(415);
        assertThat(form.json().get("error").asText()).contains("application/json");
        assertThat(http.get("/api/finetunes?limit=0").status()).isEqualTo(400);
        assertThat(http.get("/api/finetunes?limit=201").json().get("error").asText())
                .isEqualTo("limit must be between 1 and 200; got 201");
        assertThat(Http.statusForHost(fixture.stack.console.port(), "evil.example", "/api/finetunes")).isEqualTo(403);
        assertThat(Http.statusForHost(fixture.stack.console.port(), "localhost", "/api/finetunes")).isEqualTo(200);
    }

    private static String start(Map<String, Object> body) {
        Http.Answer started = http.postJson("/api/finetunes", body);
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        return started.json().get("runId").asText();
    }

    private static JsonNode await(String runId, Predicate<JsonNode> done) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode detail;
        do {
            Http.Answer answer = http.get("/api/finetunes/" + runId);
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            detail = answer.json();
            if (done.test(detail)) {
                return detail;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("run " + runId + " did not get there within " + WAIT + ": " + detail);
    }

    private static int seedsWith(JsonNode detail, String status, long step) {
        int n = 0;
        for (JsonNode seed : detail.get("seeds")) {
            if (status.equals(seed.get("status").asText()) && seed.get("progress").get("step").asLong() == step) {
                n++;
            }
        }
        return n;
    }

    private static JsonNode seed(JsonNode detail, long seed) {
        for (JsonNode s : detail.get("seeds")) {
            if (s.get("seed").asLong() == seed) {
                return s;
            }
        }
        throw new AssertionError("no seed " + seed + " in " + detail);
    }

    private static JsonNode listed(String runId) {
        for (JsonNode run : http.get("/api/finetunes").json()) {
            if (run.get("runId").asText().equals(runId)) {
                return run;
            }
        }
        throw new AssertionError("run " + runId + " is not listed");
    }

    private static List<Double> losses(JsonNode points) {
        List<Double> out = new ArrayList<>();
        points.forEach(p -> out.add(p.get("loss").asDouble()));
        return out;
    }
}
