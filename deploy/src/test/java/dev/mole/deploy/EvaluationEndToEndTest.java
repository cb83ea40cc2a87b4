package dev.mole.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mole.contracts.config.PlatformSettings;
import dev.mole.contracts.evaluation.EvaluationRequest;
import dev.mole.contracts.evaluation.EvaluationSummary;
import dev.mole.contracts.evaluation.LanguagePair;
import dev.mole.contracts.evaluation.Oracle;
import dev.mole.contracts.evaluation.SampleRecord;
import dev.mole.contracts.evaluation.Score;
import dev.mole.contracts.evaluation.TaskKind;
import dev.mole.contracts.language.Language;
import dev.mole.contracts.sandbox.SandboxVerdict;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.gpu.model.TinyCheckpointFactory;
import dev.mole.orchestrator.EvaluationService;
import dev.mole.orchestrator.LocalPlatform;
import dev.mole.orchestrator.evaluation.EvaluationCatalog;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluation stage on the real embedded stack with the real GPU-queue (CPU device) and sandbox workers: the
 * benchmark's own solutions graded through the same cut, assembly and sandbox path as generations (canonical passes
 * everything, buggy nothing), an identical request reused, a tiny model's generations traced to samples, and bad input
 * refused before any GPU work.
 */
@Tag("sandbox")
@Tag("stack")
class EvaluationEndToEndTest {
    @TempDir
    static Path dir;
    static LocalPlatform local;
    static LocalWorkers workers;
    static EvaluationService evaluations;
    static ObjectRef base;

    @BeforeAll
    static void start() throws Exception {
        PlatformSettings settings = PlatformSettings.from(Map.of(), k -> null).withHome(dir.resolve("home")).withPorts(0, 0, 0, 0);
        local = LocalPlatform.start(settings);
        workers = LocalWorkers.start(local.platform(), settings);
        evaluations = new EvaluationService(local.platform().workflowClient(), local.platform().blobStore());
        base = TinyBase.upload(local.platform().blobStore(), local.platform().bucket(), dir.resolve("tiny"),
                TinyCheckpointFactory.Options.defaults());
    }

    @AfterAll
    static void stop() {
        workers.close();
        local.close();
    }

    static EvaluationRequest oracle(Oracle oracle) {
        return new EvaluationRequest("oracle " + oracle, null, null,
                List.of(TaskKind.SYNTHESIS, TaskKind.EXPLAIN_SYNTHESIS, TaskKind.TRANSLATION), Language.humanEvalPack(),
                LanguagePair.all(), 1, null, null, false, null, 0, oracle);
    }

    @Test
    void canonicalSolutionsPassEveryKindAndBuggyOnesNone() throws Exception {
        EvaluationSummary canonical = evaluations.await(evaluations.start(oracle(Oracle.CANONICAL)), Duration.ofMinutes(10));
        assertThat(canonical.scores()).extracting(Score::kind).contains(TaskKind.SYNTHESIS, TaskKind.EXPLAIN_SYNTHESIS, TaskKind.TRANSLATION);
        assertThat(canonical.scores().stream().filter(s -> s.kind() == TaskKind.TRANSLATION)).hasSize(30);
        for (Score s : canonical.scores()) {
            assertThat(s.passAt1()).as("%s %s <- %s: %d/%d", s.kind(), s.language(), s.source(), s.passed(), s.total()).isEqualTo(1.0);
        }
        EvaluationSummary buggy = evaluations.await(evaluations.start(oracle(Oracle.BUGGY)), Duration.ofMinutes(10));
        for (Score s : buggy.scores()) {
            assertThat(s.passed()).as("%s %s <- %s", s.kind(), s.language(), s.source()).isZero();
        }
        List<SampleRecord> samples = samples(buggy);
        assertThat(samples).filteredOn(r -> r.kind().graded()).allSatisfy(r -> {
            assertThat(r.verdict()).as(r.sampleId()).isNotNull().isNotEqualTo(SandboxVerdict.PASS);
            assertThat(r.reason()).as(r.sampleId()).isNotBlank();
            assertThat(r.program()).as(r.sampleId()).contains(r.completion().strip());
        });
        // explain's describe steps are kept as samples too, ungraded
        assertThat(samples).anyMatch(r -> r.kind() == TaskKind.EXPLAIN_DESCRIBE && r.verdict() == null && !r.generation().isBlank());
    }

    @Test
    void anIdenticalRequestIsReusedNotRedone() throws Exception {
        EvaluationRequest r = new EvaluationRequest("first", null, null, List.of(TaskKind.SYNTHESIS), List.of(Language.PYTHON),
                List.of(), 2, null, null, false, null, 0, Oracle.CANONICAL);
        EvaluationSummary first = evaluations.await(evaluations.start(r), Duration.ofMinutes(5));
        assertThat(first.reused()).isFalse();
        EvaluationRequest again = new EvaluationRequest("second name, same evaluation", null, null, List.of(TaskKind.SYNTHESIS),
                List.of(Language.PYTHON), List.of(), 2, null, null, false, null, 0, Oracle.CANONICAL);
        String id = evaluations.start(again);
        assertThat(id).isEqualTo(first.evaluationId());
        EvaluationSummary second = evaluations.await(id, Duration.ofMinutes(5));
        assertThat(second.reused()).isTrue();
        assertThat(second.scores()).containsExactlyInAnyOrderElementsOf(first.scores());
    }

    @Test
    void aTinyModelsGenerationsAreTracedToSamples() throws Exception {
        EvaluationRequest r = new EvaluationRequest("tiny base", base, null, List.of(TaskKind.SYNTHESIS),
                List.of(Language.PYTHON, Language.GO), List.of(), 2, null, null, false, null, 12, Oracle.NONE);
        EvaluationSummary s = evaluations.await(evaluations.start(r), Duration.ofMinutes(10));
        assertThat(s.scores()).hasSize(2).allSatisfy(score -> assertThat(score.total()).isEqualTo(2));
        List<SampleRecord> samples = samples(s);
        assertThat(samples).hasSize(4).allSatisfy(x -> {
            assertThat(x.pieces()).hasSameSizeAs(x.routes()).isNotEmpty();
            assertThat(String.join("", x.pieces())).isEqualTo(x.generation());
            assertThat(x.responsePrefix()).startsWith("```");
            assertThat(x.verdict()).isNotNull();
        });
        // the response opens a fence, so automated routing puts the generated tokens on that language's expert
        assertThat(samples).filteredOn(x -> x.language() == Language.PYTHON)
                .allSatisfy(x -> assertThat(x.routes()).contains("python"));
        EvaluationCatalog.EvaluationRow row = new EvaluationCatalog(local.platform().dataSource()).find(s.evaluationId()).orElseThrow();
        assertThat(row.status()).isEqualTo("COMPLETED");
        assertThat(row.scores()).containsExactlyInAnyOrderElementsOf(s.scores());
    }

    @Test
    void badInputIsRefusedBeforeAnyGpuWork() {
        assertThatThrownBy(() -> evaluations.start(new EvaluationRequest("x", new ObjectRef(base.bucket(), "models/none"), null,
                List.of(TaskKind.SYNTHESIS), List.of(Language.PYTHON), List.of(), 1, null, null, false, null, 0, null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no base model at");
        assertThatThrownBy(() -> evaluations.start(new EvaluationRequest("x", base, base.child("manifest.json"),
                List.of(TaskKind.SYNTHESIS), List.of(Language.PYTHON), List.of(), 1, null, null, false, null, 0, null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no adapter manifest");
        assertThatThrownBy(() -> new EvaluationRequest("x", base, null, List.of(), List.of(Language.PYTHON), List.of(), 1,
                null, null, false, null, 0, null)).hasMessageContaining("no task kind");
        assertThatThrownBy(() -> new EvaluationRequest("x", base, null, List.of(TaskKind.SYNTHESIS), List.of(Language.C),
                List.of(), 1, null, null, false, null, 0, null)).hasMessageContaining("not a HumanEvalPack language");
        assertThatThrownBy(() -> LanguagePair.parse("python-cobol")).hasMessageContaining("cobol");
        assertThatThrownBy(() -> evaluations.start(new EvaluationRequest("x", base, null, List.of(TaskKind.SYNTHESIS),
                List.of(Language.PYTHON), List.of(), 1, null, null, true, null, 0, null)))
                .hasMessageContaining("needs a MoLE model");
    }

    static List<SampleRecord> samples(EvaluationSummary s) throws Exception {
        return read(local.platform().blobStore(), s.samples());
    }

    static List<SampleRecord> read(dev.mole.contracts.storage.BlobStore store, ObjectRef ref) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<SampleRecord> out = new ArrayList<>();
        for (String line : new String(store.read(ref), StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) out.add(json.readValue(line, SampleRecord.class));
        }
        return out;
    }
}
