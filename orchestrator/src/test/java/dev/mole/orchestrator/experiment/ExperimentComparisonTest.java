package dev.mole.orchestrator.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mole.contracts.evaluation.Score;
import dev.mole.contracts.evaluation.TaskKind;
import dev.mole.contracts.experiment.ExperimentArm;
import dev.mole.contracts.experiment.ExperimentRequest;
import dev.mole.contracts.experiment.ExperimentStatus;
import dev.mole.contracts.language.Language;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.contracts.training.TrainingMethod;
import dev.mole.contracts.training.TrainingResult;
import dev.mole.orchestrator.experiment.ExperimentCatalog.ArmSeedRow;
import dev.mole.orchestrator.experiment.ExperimentComparison.ArmRow;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Table II's arithmetic: mean and sample std over the seeds with a result, best per column, per language, costs. */
class ExperimentComparisonTest {
    static final ExperimentArm MOLE = ExperimentArm.of(TrainingMethod.MOLE, "48+16");
    static final ExperimentArm ALL = ExperimentArm.of(TrainingMethod.ALL_LANG, "64");

    static ExperimentRequest request(List<ExperimentArm> arms, List<Long> seeds) {
        return new ExperimentRequest("cmp", ExperimentFakes.DATASET, null, ExperimentFakes.BASE, arms, seeds,
                ExperimentWorkflowTest.evaluation(), null);
    }

    static Score synthesis(Language l, double pass) {
        return new Score(TaskKind.SYNTHESIS, l, null, "auto", (int) Math.round(pass * 10), 10, pass, Map.of());
    }

    static ArmSeedRow row(String arm, long seed, String state, String evaluation, long steps, Instant start, Instant end) {
        TrainingResult t = new TrainingResult(new ObjectRef("mole", "x/manifest.json"), steps, 0, 0.25, Map.of(), Map.of(), Map.of());
        return new ArmSeedRow(arm, seed, "MOLE", state, null, t, evaluation, state.equals("FAILED") ? "training: boom" : null,
                start, end, end, end, null);
    }

    @Test
    void meansAndSpreadsOverSeedsWithTheBestMarkedAndEverySeedKept() {
        ExperimentCatalog.ExperimentRow e = new ExperimentCatalog.ExperimentRow("experiment-x", "cmp",
                request(List.of(MOLE, ALL), List.of(1L, 2L, 3L)), ExperimentStatus.PARTIAL, null, null, null, null, null);
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        List<ArmSeedRow> rows = List.of(
                row("mole-48+16", 1, "COMPLETED", "m1", 10, t0, t0.plusSeconds(1800)),
                row("mole-48+16", 2, "COMPLETED", "m2", 10, t0, t0.plusSeconds(1800)),
                row("mole-48+16", 3, "FAILED", null, 0, t0, null),
                row("all_lang-64", 1, "COMPLETED", "a1", 10, t0, t0.plusSeconds(3600)),
                row("all_lang-64", 2, "COMPLETED", "a2", 10, t0, t0.plusSeconds(3600)),
                row("all_lang-64", 3, "COMPLETED", "a3", 10, t0, t0.plusSeconds(3600)));
        Map<String, List<Score>> scores = new HashMap<>();
        // MoLE: python 0.6 and 0.4, rust 0.2 and 0.4 -> seed means 0.4 and 0.4; the forced cell is not counted
        scores.put("m1", List.of(synthesis(Language.PYTHON, 0.6), synthesis(Language.RUST, 0.2),
                new Score(TaskKind.SYNTHESIS, Language.PYTHON, null, "forced:rust", 0, 10, 0.0, Map.of())));
        scores.put("m2", List.of(synthesis(Language.PYTHON, 0.4), synthesis(Language.RUST, 0.4)));
        // AllLang: seed means 0.1, 0.2, 0.3
        scores.put("a1", List.of(synthesis(Language.PYTHON, 0.1), synthesis(Language.RUST, 0.1)));
        scores.put("a2", List.of(synthesis(Language.PYTHON, 0.2), synthesis(Language.RUST, 0.2)));
        scores.put("a3", List.of(synthesis(Language.PYTHON, 0.3), synthesis(Language.RUST, 0.3)));

        ExperimentComparison c = ExperimentComparison.of(e, rows, scores, Map.of("mole-48+16", 1234L));

        assertThat(c.columns()).containsExactly("summarisation", "synthesis");
        ArmRow mole = c.arms().get(0), all = c.arms().get(1);
        assertThat(mole.headline().get("synthesis").mean()).isCloseTo(0.4, within(1e-12));
        assertThat(mole.headline().get("synthesis").n()).as("the failed seed has no number").isEqualTo(2);
        assertThat(mole.headline().get("synthesis").best()).isTrue();
        assertThat(all.headline().get("synthesis").mean()).isCloseTo(0.2, within(1e-12));
        assertThat(all.headline().get("synthesis").std()).isCloseTo(0.1, within(1e-12));
        assertThat(all.headline().get("synthesis").best()).isFalse();
        assertThat(mole.headline()).doesNotContainKey("summarisation"); // no explain scores recorded here
        assertThat(mole.perLanguage().get("synthesis/python").mean()).isCloseTo(0.5, within(1e-12));
        assertThat(mole.perLanguage().get("synthesis/python").std()).isCloseTo(Math.sqrt(0.02), within(1e-12));
        assertThat(mole.seeds()).extracting(ExperimentComparison.SeedRow::state).containsExactly("COMPLETED", "COMPLETED", "FAILED");
        assertThat(mole.seeds().get(2).error()).isEqualTo("training: boom");
        assertThat(mole.seeds().get(0).headline().get("synthesis")).isCloseTo(0.4, within(1e-12));
        assertThat(mole.parameters()).isEqualTo(1234L);
        assertThat(all.parameters()).isNull();
        assertThat(mole.cost().steps()).isEqualTo(20);
        assertThat(mole.cost().trainingHours()).isCloseTo(1.0, within(1e-9));
        assertThat(all.cost().trainingHours()).isCloseTo(3.0, within(1e-9));
    }

    @Test
    void theSettingsDiffNamesEachChangedSettingAndKeysArmsByName() {
        ObjectMapper json = new ObjectMapper();
        var left = request(List.of(MOLE, ALL), List.of(1L, 2L));
        var right = request(List.of(MOLE, new ExperimentArm(null, TrainingMethod.ALL_LANG, "64", null,
                dev.mole.contracts.training.TrainingHyperParameters.paper().withLearningRate(1e-3))), List.of(1L, 2L, 3L));
        var diff = ExperimentComparisons.diff(json.valueToTree(left), json.valueToTree(right));
        assertThat(diff).extracting(ExperimentComparisons.Difference::setting)
                .containsExactlyInAnyOrder("arms[all_lang-64].hyper.learningRate", "seeds");
        assertThat(diff).filteredOn(d -> d.setting().equals("seeds")).singleElement()
                .satisfies(d -> assertThat(d.left() + " -> " + d.right()).isEqualTo("1,2 -> 1,2,3"));
    }
}
