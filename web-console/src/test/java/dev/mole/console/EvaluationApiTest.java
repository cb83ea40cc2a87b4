package dev.mole.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mole.contracts.evaluation.SampleRecord;
import dev.mole.contracts.evaluation.Score;
import dev.mole.contracts.evaluation.TaskKind;
import dev.mole.contracts.language.Language;
import dev.mole.contracts.sandbox.SandboxVerdict;
import dev.mole.contracts.storage.ObjectRef;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code /api/evaluations} on a real embedded platform (PostgreSQL, S3, Temporal's test server, the CPU worker), with
 * evaluations recorded through the evaluation catalog and their samples written to the object store as the stage writes
 * them ({@link EvaluationFixture}). Starts go through the real {@code EvaluationService}; with no GPU worker, a started
 * evaluation stays at its generation step.
 */
@Tag("stack")
class EvaluationApiTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path home;
    static ConsoleStack stack;
    static Http http;
    static EvaluationFixture fixture;
    static String base;

    @BeforeAll
    static void start() {
        stack = ConsoleStack.start(home);
        http = new Http(stack.console.url());
        fixture = EvaluationFixture.seed(stack);
        base = stack.fakeBaseCheckpoint();
    }

    @AfterAll
    static void stop() {
        Closing.inOrder(stack);
    }

    @Test
    void theListIsNewestFirstWithStatusAndHeadlinePassAt1PerKind() {
        JsonNode list = http.get("/api/evaluations").json();
        List<String> ids = new ArrayList<>();
        list.forEach(e -> ids.add(e.get("evaluationId").asText()));
        assertThat(ids).containsSubsequence(fixture.runningId, fixture.failedId, fixture.completedId);

        JsonNode done = listed(fixture.completedId);
        assertThat(done.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(done.get("name").asText()).isEqualTo("seeded mole");
        assertThat(done.get("model").asText()).isEqualTo(fixture.request.adapters().uri());
        assertThat(done.get("finishedAt").isNull()).isFalse();
        JsonNode headline = done.get("headline");
        assertThat(headline.fieldNames()).toIterable()
                .containsExactlyInAnyOrder("SYNTHESIS", "EXPLAIN_SYNTHESIS", "TRANSLATION");
        // Synthesis solves 2..7 of 10 tasks across the six languages; forced-routing cells are not in the headline.
        assertThat(headline.get("SYNTHESIS").get("passAt1").asDouble()).isCloseTo(0.45, within(1e-9));
        assertThat(headline.get("SYNTHESIS").get("cells").asInt()).isEqualTo(6);
        assertThat(headline.get("SYNTHESIS").get("routing").asText()).isEqualTo("auto");
        assertThat(headline.get("TRANSLATION").get("cells").asInt()).isEqualTo(30);
        assertThat(headline.get("TRANSLATION").get("routing").asText()).isEqualTo("manual");
        double translation = fixture.scores.stream().filter(s -> s.kind() == TaskKind.TRANSLATION)
                .mapToDouble(Score::passAt1).average().orElseThrow();
        assertThat(headline.get("TRANSLATION").get("passAt1").asDouble()).isCloseTo(translation, within(1e-9));

        JsonNode failed = listed(fixture.failedId);
        assertThat(failed.get("status").asText()).isEqualTo("FAILED");
        assertThat(failed.get("error").asText()).isEqualTo(EvaluationFixture.FAILURE);
        assertThat(failed.get("model").asText()).isEqualTo("base only");
        assertThat(failed.get("headline").isEmpty()).isTrue();
        assertThat(listed(fixture.runningId).get("status").asText()).isEqualTo("RUNNING");

        JsonNode oneModel = http.get("/api/evaluations?adapters="
                + URLEncoder.encode(fixture.request.adapters().uri(), StandardCharsets.UTF_8)).json();
        assertThat(oneModel).extracting(e -> e.get("evaluationId").asText())
                .containsExactly(fixture.runningId, fixture.completedId);
        assertThat(http.get("/api/evaluations?limit=1").json()).hasSize(1);
        assertThat(http.get("/api/evaluations?limit=0").status()).isEqualTo(400);
    }

    @Test
    void theDetailHasTheRequestAndEveryScore() {
        JsonNode d = http.get("/api/evaluations/" + fixture.completedId).json();
        assertThat(d.get("evaluation").get("status").asText()).isEqualTo("COMPLETED");
        assertThat(d.get("live").isNull()).as("only a running evaluation is described by Temporal").isTrue();
        JsonNode r = d.get("request");
        assertThat(r.get("base").asText()).isEqualTo(fixture.request.baseCheckpoint().uri());
        assertThat(r.get("languages")).extracting(JsonNode::asText)
                .containsExactly("cpp", "go", "java", "javascript", "python", "rust");
        assertThat(r.get("pairs")).hasSize(30);
        assertThat(r.get("pairs").get(0).asText()).isEqualTo("cpp-go");
        assertThat(r.get("routing").asText()).isEqualTo("auto");
        assertThat(r.get("translationRouting").asText()).isEqualTo("manual");
        assertThat(r.get("specialisation").asBoolean()).isTrue();
        assertThat(r.get("oracle").asText()).isEqualTo("none");
        assertThat(r.get("maxNewTokens").asInt()).isEqualTo(512);

        // 6 synthesis + 6 explain + 30 translation + 6 x 9 forced
        assertThat(d.get("scores")).hasSize(6 + 6 + 30 + 54);
        JsonNode pyToRust = score(d, "TRANSLATION", "rust", "python", "manual");
        Score expected = fixture.score(TaskKind.TRANSLATION, Language.RUST, Language.PYTHON, "manual");
        assertThat(pyToRust.get("passed").asInt()).isEqualTo(expected.passed());
        assertThat(pyToRust.get("total").asInt()).isEqualTo(10);
        assertThat(pyToRust.get("passAt1").asDouble()).isEqualTo(expected.passAt1());
        assertThat(score(d, "SYNTHESIS", "go", null, "forced:go").get("passed").asInt()).isEqualTo(8);
        assertThat(score(d, "SYNTHESIS", "go", null, "forced:nl").get("passed").asInt()).isEqualTo(5);
        assertThat(score(d, "SYNTHESIS", "go", null, "forced:csharp").get("total").asInt()).isEqualTo(10);

        JsonNode failed = http.get("/api/evaluations/" + fixture.failedId).json();
        assertThat(failed.get("evaluation").get("error").asText()).isEqualTo(EvaluationFixture.FAILURE);
        assertThat(failed.get("scores")).isEmpty();
        // Recorded as running, but no workflow behind it (the fixture wrote the row): said so, not hidden.
        JsonNode running = http.get("/api/evaluations/" + fixture.runningId).json();
        assertThat(running.get("live").get("workflowStatus").asText()).isEqualTo("unknown");
    }

    @Test
    void samplesArePagedFromTheJsonlAndFilteredByCell() {
        String path = "/api/evaluations/" + fixture.completedId + "/samples";
        JsonNode all = http.get(path).json();
        assertThat(all.get("total").asInt()).isEqualTo(fixture.samples.size());
        assertThat(all.get("offset").asInt()).isZero();
        assertThat(all.get("limit").asInt()).isEqualTo(50);
        assertThat(all.get("samples")).hasSize(50);
        assertThat(all.get("samples").get(0).get("sampleId").asText()).isEqualTo(fixture.samples.get(0).sampleId());
        assertThat(all.get("samples").get(0).has("generation")).as("a list row is light").isFalse();

        JsonNode page = http.get(path + "?offset=120&limit=7").json();
        assertThat(page.get("samples")).extracting(s -> s.get("sampleId").asText())
                .containsExactlyElementsOf(fixture.samples.subList(120, 127).stream().map(SampleRecord::sampleId).toList());
        JsonNode beyond = http.get(path + "?offset=100000").json();
        assertThat(beyond.get("samples")).isEmpty();
        assertThat(beyond.get("total").asInt()).isEqualTo(fixture.samples.size());

        // One heat-map cell, its languages spelt as people do.
        JsonNode cell = http.get(path + "?kind=translation&source=py&language=rs&routing=manual").json();
        assertThat(cell.get("total").asInt()).isEqualTo(10);
        for (JsonNode s : cell.get("samples")) {
            assertThat(s.get("kind").asText()).isEqualTo("TRANSLATION");
            assertThat(s.get("source").asText()).isEqualTo("python");
            assertThat(s.get("language").asText()).isEqualTo("rust");
            assertThat(s.get("taskId").asText()).startsWith("Rust/");
            assertThat(s.get("reason").asText()).isNotBlank();
        }
        long passed = fixture.score(TaskKind.TRANSLATION, Language.RUST, Language.PYTHON, "manual").passed();
        assertThat(http.get(path + "?kind=TRANSLATION&source=python&language=rust&verdict=pass").json()
                .get("total").asInt()).isEqualTo(passed);

        JsonNode forced = http.get(path + "?kind=SYNTHESIS&language=java&routing=forced:js").json();
        assertThat(forced.get("total").asInt()).isEqualTo(10);
        assertThat(forced.get("samples").get(0).get("routing").asText()).isEqualTo("forced:javascript");
        JsonNode describe = http.get(path + "?verdict=none&language=go").json();
        assertThat(describe.get("total").asInt()).isEqualTo(10);
        assertThat(describe.get("samples").get(0).get("kind").asText()).isEqualTo("EXPLAIN_DESCRIBE");
        JsonNode explain = http.get(path + "?kind=explain&language=cpp&verdict=PASS").json();
        assertThat(explain.get("total").asInt()).isEqualTo(EvaluationFixture.explainPassed(Language.CPP));
    }

    @Test
    void oneSampleIsWholeWithItsTokensAndRoutes() {
        SampleRecord expected = fixture.samples.stream()
                .filter(s -> s.kind() == TaskKind.TRANSLATION && s.source() == Language.PYTHON
                        && s.language() == Language.RUST && s.verdict() != SandboxVerdict.PASS)
                .findFirst().orElseThrow();
        assertThat(expected.sampleId()).isEqualTo("TRANSLATION/manual/python->Rust/" + expected.taskId().split("/")[1] + "/0");
        JsonNode s = http.get("/api/evaluations/" + fixture.completedId + "/samples/" + pathOf(expected.sampleId())).json();
        assertThat(s.get("sampleId").asText()).isEqualTo(expected.sampleId());
        assertThat(s.get("instruction").asText()).isEqualTo(expected.instruction());
        assertThat(s.get("responsePrefix").asText()).isEqualTo(expected.responsePrefix());
        assertThat(s.get("generation").asText()).isEqualTo(expected.generation());
        assertThat(s.get("completion").asText()).isEqualTo(expected.completion());
        assertThat(s.get("program").asText()).isEqualTo(expected.program());
        assertThat(s.get("verdict").asText()).isEqualTo(expected.verdict().name());
        assertThat(s.get("reason").asText()).isEqualTo(expected.reason());
        assertThat(s.get("pieces")).extracting(JsonNode::asText).containsExactlyElementsOf(expected.pieces());
        assertThat(s.get("routes")).extracting(JsonNode::asText).containsExactlyElementsOf(expected.routes());
        assertThat(s.get("language").asText()).isEqualTo("rust");
        assertThat(s.get("source").asText()).isEqualTo("python");

        String auto = "SYNTHESIS/auto/Python/3/0";
        JsonNode synth = http.get("/api/evaluations/" + fixture.completedId + "/samples/" + auto).json();
        assertThat(synth.get("routes")).extracting(JsonNode::asText).contains("python", "nl");

        Http.Answer missing = http.get("/api/evaluations/" + fixture.completedId + "/samples/SYNTHESIS/auto/Python/99/0");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("error").asText())
                .isEqualTo("no sample SYNTHESIS/auto/Python/99/0 in evaluation " + fixture.completedId);
    }

    @Test
    void unknownEvaluationsAre404AndSoAreSamplesOfOneNotCompleted() {
        Http.Answer unknown = http.get("/api/evaluations/nope");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("error").asText()).isEqualTo("no evaluation nope");
        assertThat(http.get("/api/evaluations/nope/samples").status()).isEqualTo(404);
        assertThat(http.get("/api/evaluations/nope/samples/SYNTHESIS/auto/Python/1/0").status()).isEqualTo(404);
        Http.Answer failed = http.get("/api/evaluations/" + fixture.failedId + "/samples");
        assertThat(failed.status()).isEqualTo(404);
        assertThat(failed.json().get("error").asText()).contains("has no samples: it is FAILED");
        // A finetune's workflow id names a workflow, but not an evaluation.
        assertThat(http.get("/api/evaluations/" + "finetune-" + EvaluationFixture.id("x")).status()).isEqualTo(404);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "kind             | kind=summary                 | kind must be one of [SYNTHESIS, EXPLAIN_DESCRIBE, EXPLAIN_SYNTHESIS, TRANSLATION]; got 'summary'",
        "language         | language=cobol               | language: unknown language 'cobol'",
        "source           | source=x                     | source: unknown language 'x'",
        "routing          | routing=sideways             | routing must be auto, manual, forced:nl or forced:LANGUAGE; got 'sideways'",
        "forced expert    | routing=forced:cobol         | routing: unknown language 'cobol'",
        "verdict          | verdict=maybe                | verdict must be one of [PASS, FAIL",
        "offset           | offset=-1                    | offset must be at least 0; got -1",
        "limit            | limit=501                    | limit must be between 1 and 500; got 501",
        "limit type       | limit=many                   | parameter limit has a bad value 'many'",
    })
    void badSampleQueriesAreRefusedNamingTheParameter(String label, String query, String message) {
        Http.Answer answer = http.get("/api/evaluations/" + fixture.completedId + "/samples?" + query);
        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.json().get("error").asText()).contains(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "no base               | {\"kinds\":[\"synthesis\"]}                                   | base is required",
        "base not s3           | {\"base\":\"/models/x\"}                                      | base must be an s3://bucket/prefix folder; got '/models/x'",
        "base bucket only      | {\"base\":\"s3://mole\"}                                      | base 's3://mole' needs a bucket and a key",
        "base without config   | {\"base\":\"s3://mole/models/none\"}                          | base: no base model at s3://mole/models/none (its folder holds no config.json)",
        "adapters not s3       | {\"base\":\"BASE\",\"adapters\":\"/runs/x/manifest.json\"}    | adapters must be the s3:// URI of a trained output's manifest.json",
        "adapters missing      | {\"base\":\"BASE\",\"adapters\":\"s3://mole/runs/none/manifest.json\"} | adapters: no adapter manifest at s3://mole/runs/none/manifest.json",
        "unknown language      | {\"base\":\"BASE\",\"languages\":[\"python\",\"cobol\"]}      | languages: unknown language 'cobol'",
        "C is not in the pack  | {\"base\":\"BASE\",\"languages\":\"python,c\"}                | languages: c is not a HumanEvalPack language",
        "no language           | {\"base\":\"BASE\",\"kinds\":[\"synthesis\"],\"languages\":[]} | languages: no language selected",
        "languages not strings | {\"base\":\"BASE\",\"languages\":[1]}                         | languages must list strings; got 1",
        "languages an object   | {\"base\":\"BASE\",\"languages\":{\"python\":true}}           | languages must be a list of strings or one comma-separated string",
        "pair with one side    | {\"base\":\"BASE\",\"pairs\":[\"python\"]}                    | pairs: a translation pair is written source-target (e.g. python-rust): python",
        "pair to itself        | {\"base\":\"BASE\",\"pairs\":[\"python-py\"]}                 | pairs: a translation pair needs two languages: python-python",
        "pair unknown          | {\"base\":\"BASE\",\"pairs\":\"python-cobol\"}                | pairs: unknown language 'cobol'",
        "translation no pair   | {\"base\":\"BASE\",\"kinds\":[\"translation\"],\"pairs\":[]}  | pairs: translation selected but no pair",
        "no task               | {\"base\":\"BASE\",\"kinds\":[]}                              | kinds: no task kind selected",
        "unknown kind          | {\"base\":\"BASE\",\"kinds\":[\"summarise\"]}                 | kinds: unknown task kind 'summarise' (expected synthesis, explain or translation)",
        "limit                 | {\"base\":\"BASE\",\"limit\":165}                             | limit must be 0 (all) to 164, got 165",
        "routing               | {\"base\":\"BASE\",\"routing\":\"forced\"}                    | routing: unknown routing 'forced' (expected auto or manual)",
        "translation routing   | {\"base\":\"BASE\",\"translationRouting\":\"x\"}              | translationRouting: unknown routing 'x'",
        "oracle                | {\"oracle\":\"perfect\"}                                      | oracle must be none, canonical or buggy; got 'perfect'",
        "temperature           | {\"base\":\"BASE\",\"temperature\":-1}                        | temperature must be >= 0, got -1.0",
        "top-p                 | {\"base\":\"BASE\",\"temperature\":0.2,\"topP\":0}            | topP: top-p must be in (0, 1], got 0.0",
        "greedy with samples   | {\"base\":\"BASE\",\"samples\":5}                             | samples: greedy decoding gives one sample per task; set a temperature for 5",
        "max new tokens        | {\"base\":\"BASE\",\"maxNewTokens\":5000}                     | maxNewTokens: max new tokens must be 1..4096, got 5000",
        "specialisation base   | {\"base\":\"BASE\",\"specialisation\":true}                   | specialisation: the specialisation matrix forces experts, and a NO_FT model has none",
        "misspelt field        | {\"base\":\"BASE\",\"language\":[\"python\"]}                 | unknown field 'language'",
        "limit wrong type      | {\"base\":\"BASE\",\"limit\":\"all\"}                         | field 'limit' has the wrong type",
        "JSON array            | []                                                            | the body must be a JSON object with at least base (or oracle)",
        "empty body            | ``                                                            | JSON object body is required",
    })
    void badBodiesAreRefusedNamingTheField(String label, String body, String message) {
        int before = http.get("/api/evaluations?limit=200").json().size();
        Http.Answer answer = http.post("/api/evaluations", "application/json", body.replace("BASE", base));
        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.json().get("error").asText()).contains(message);
        assertThat(http.get("/api/evaluations?limit=200").json().size()).as("nothing started").isEqualTo(before);
    }

    @Test
    void adaptersThatAreNotATrainedOutputOfThisBaseAreRefusedNamingTheField() {
        var platform = stack.local.platform();
        ObjectRef other = new ObjectRef(platform.bucket(), "runs/other-format/manifest.json");
        platform.blobStore().put(other, "{\"format\":\"mole-dataset/1\"}".getBytes(StandardCharsets.UTF_8),
                "application/json");
        Http.Answer format = http.postJson("/api/evaluations", Map.of("base", base, "adapters", other.uri()));
        assertThat(format.status()).as(format.body()).isEqualTo(400);
        assertThat(format.json().get("error").asText())
                .isEqualTo("adapters: " + other.uri() + " is not a trained-model manifest (format mole-dataset/1)");

        ObjectRef elsewhere = new ObjectRef(platform.bucket(), "runs/other-base/manifest.json");
        platform.blobStore().put(elsewhere, ("{\"format\":\"mole-trained/1\",\"method\":\"MOLE\","
                + "\"baseModelSha256\":\"0123456789abcdef\",\"files\":{}}").getBytes(StandardCharsets.UTF_8),
                "application/json");
        Http.Answer mismatch = http.postJson("/api/evaluations", Map.of("base", base, "adapters", elsewhere.uri()));
        assertThat(mismatch.status()).as(mismatch.body()).isEqualTo(400);
        assertThat(mismatch.json().get("error").asText()).startsWith("base: the base model at " + base)
                .endsWith("is not the one the adapters were trained on (0123456789ab)");
    }

    @Test
    void aFormThatIsNotJsonIsUnsupported() {
        Http.Answer form = http.post("/api/evaluations", "application/x-www-form-urlencoded", "base=x");
        assertThat(form.status()).isEqualTo(415);
        assertThat(form.json().get("error").asText()).contains("application/json");
    }

    @Test
    void aStartedEvaluationIsKnownAtOnceAndShowsItsStepWhileItRuns() throws Exception {
        Map<String, Object> body = Map.of("name", "api start", "base", base + "/", "kinds", List.of("synthesis"),
                "languages", List.of("py", "JS"), "limit", 2);
        Http.Answer started = http.postJson("/api/evaluations", body);
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        String id = started.json().get("evaluationId").asText();
        assertThat(id).matches("[0-9a-f]{64}");

        // Asked at once, before the plan step has recorded it: known, not a 404.
        Http.Answer first = http.get("/api/evaluations/" + id);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.json().get("evaluation").get("status").asText()).isEqualTo("RUNNING");

        // No GPU worker here: the plan step records it, and its generation chunks wait on the GPU queue.
        JsonNode d = await(id, x -> x.get("request") != null && !x.get("request").isNull()
                && "generating".equals(x.get("live").get("phase").asText()));
        assertThat(d.get("evaluation").get("name").asText()).isEqualTo("api start");
        assertThat(d.get("evaluation").get("model").asText()).isEqualTo("base only");
        assertThat(d.get("request").get("languages")).extracting(JsonNode::asText).containsExactly("python", "javascript");
        assertThat(d.get("request").get("base").asText()).isEqualTo(base);
        assertThat(d.get("live").get("workflowStatus").asText()).isEqualTo("running");
        assertThat(d.get("live").get("activities")).isNotEmpty().allSatisfy(a -> {
            assertThat(a.get("type").asText()).isEqualTo("Generate");
            assertThat(a.get("state").asText()).isEqualTo("scheduled");
        });
        assertThat(listed(id).get("status").asText()).isEqualTo("RUNNING");
        assertThat(http.get("/api/evaluations/" + id + "/samples").json().get("error").asText())
                .contains("it is RUNNING");

        // The same model and settings are the same evaluation: starting it again joins it.
        Http.Answer again = http.postJson("/api/evaluations", Map.of("name", "same again", "base", base,
                "kinds", "synthesis", "languages", "javascript,python", "limit", 2));
        assertThat(again.json().get("evaluationId").asText()).isEqualTo(id);
    }

    private interface Check {
        boolean test(JsonNode detail);
    }

    private static JsonNode await(String id, Check done) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode detail;
        do {
            Http.Answer answer = http.get("/api/evaluations/" + id);
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            detail = answer.json();
            if (done.test(detail)) {
                return detail;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("evaluation " + id + " did not get there within " + WAIT + ": " + detail);
    }

    /** Each segment encoded: the id's slashes stay path separators, its '>' does not go raw into a URL. */
    static String pathOf(String sampleId) {
        List<String> parts = new ArrayList<>();
        for (String p : sampleId.split("/")) {
            parts.add(URLEncoder.encode(p, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return String.join("/", parts);
    }

    private static JsonNode score(JsonNode detail, String kind, String language, String source, String routing) {
        for (JsonNode s : detail.get("scores")) {
            if (s.get("kind").asText().equals(kind) && s.get("language").asText().equals(language)
                    && (source == null ? s.get("source").isNull() : source.equals(s.get("source").asText()))
                    && s.get("routing").asText().equals(routing)) {
                return s;
            }
        }
        throw new AssertionError("no score " + kind + " " + source + "->" + language + " " + routing);
    }

    private static JsonNode listed(String id) {
        for (JsonNode e : http.get("/api/evaluations?limit=200").json()) {
            if (e.get("evaluationId").asText().equals(id)) {
                return e;
            }
        }
        throw new AssertionError("evaluation " + id + " is not listed");
    }
}
