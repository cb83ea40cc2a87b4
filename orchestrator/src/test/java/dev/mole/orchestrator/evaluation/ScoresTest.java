package dev.mole.orchestrator.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mole.contracts.evaluation.SampleRecord;
import dev.mole.contracts.evaluation.Score;
import dev.mole.contracts.evaluation.TaskKind;
import dev.mole.contracts.language.Language;
import dev.mole.contracts.sandbox.SandboxVerdict;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScoresTest {

    static SampleRecord sample(TaskKind kind, Language l, Language source, String routing, String task, int i, boolean pass) {
        return new SampleRecord(kind + "/" + routing + "/" + task + "/" + i, kind, l, source, routing, task, i, "", "", "", "",
                "EOS", List.of(), List.of(), kind.graded() ? "p" : "", kind.graded() ? (pass ? SandboxVerdict.PASS : SandboxVerdict.FAIL) : null, "");
    }

    @Test
    void passAt1IsTheMeanOverTasksOfEachTasksUnbiasedEstimate() {
        List<SampleRecord> s = new ArrayList<>();
        for (int i = 0; i < 3; i++) s.add(sample(TaskKind.SYNTHESIS, Language.PYTHON, null, "auto", "Python/0", i, i == 0));
        for (int i = 0; i < 3; i++) s.add(sample(TaskKind.SYNTHESIS, Language.PYTHON, null, "auto", "Python/1", i, true));
        List<Score> scores = Scores.of(s);
        assertThat(scores).singleElement().satisfies(x -> {
            assertThat(x.passed()).isEqualTo(4);
            assertThat(x.total()).isEqualTo(6);
            assertThat(x.passAt1()).isCloseTo((1.0 / 3 + 1.0) / 2, within(1e-12));
            assertThat(x.passAtK()).containsOnlyKeys(1); // pass@10 needs 10 samples of every task
        });
    }

    @Test
    void cellsAreKeptApartByKindLanguageSourceAndRoutingAndDescribeStepsAreNotScored() {
        List<SampleRecord> s = List.of(
                sample(TaskKind.SYNTHESIS, Language.GO, null, "auto", "Go/0", 0, true),
                sample(TaskKind.SYNTHESIS, Language.GO, null, "forced:nl", "Go/0", 0, false),
                sample(TaskKind.TRANSLATION, Language.GO, Language.PYTHON, "manual", "Go/0", 0, true),
                sample(TaskKind.TRANSLATION, Language.GO, Language.RUST, "manual", "Go/0", 0, false),
                sample(TaskKind.EXPLAIN_DESCRIBE, Language.GO, null, "auto", "Go/0", 0, false));
        List<Score> scores = Scores.of(s);
        assertThat(scores).hasSize(4);
        assertThat(scores).noneMatch(x -> x.kind() == TaskKind.EXPLAIN_DESCRIBE);
        assertThat(scores).filteredOn(x -> x.kind() == TaskKind.TRANSLATION).extracting(Score::source, Score::passAt1)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(Language.PYTHON, 1.0),
                        org.assertj.core.groups.Tuple.tuple(Language.RUST, 0.0));
    }
}
