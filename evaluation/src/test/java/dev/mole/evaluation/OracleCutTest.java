package dev.mole.evaluation;

import dev.mole.contracts.evaluation.Oracle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mole.contracts.language.Language;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The oracle's generations, cut by the same rules as a model's, give back the solution text: for every task in every
 * language, and for translation for all 30 ordered language pairs on a sample of tasks. Trailing whitespace aside
 * (the cut drops it), that is the canonical solution as the data has it.
 */
class OracleCutTest {
    /** With the tasks whose solutions go past the function (helpers after it, CPP/94's stray includes), trip upstream's
     * stop words (Go/90, 158) or need the prompt's helpers (Go/10, 32, 38, 50). */
    private static final List<Integer> TRANSLATION_SAMPLE = List.of(0, 10, 32, 38, 50, 72, 90, 94, 137, 145, 158, 163);

    @Test
    void synthesisCutsBackToTheCanonicalSolutionForAllTasks() {
        List<String> wrong = new ArrayList<>();
        for (Language l : Language.humanEvalPack()) {
            for (HumanEvalTask t : HumanEvalPack.load(l)) {
                EvalPrompt p = EvalPrompts.synthesis(t);
                String completion = Completions.extract(p, OracleAnswers.generation(Oracle.CANONICAL, p));
                String expected = CodeStarts.trailingWhitespace(t.prompt()) + t.canonicalSolution();
                if (!completion.equals(expected.stripTrailing())) {
                    wrong.add(t.taskId());
                }
                // The graded code is the data's prompt + canonical solution, up to blank lines around it.
                assertThat(p.codeStart() + completion).isEqualTo(CodeStarts.trim(t.prompt() + t.canonicalSolution()));
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void explainSynthesisCutsBackToTheSolutionAfterTheDeclarationForAllTasks() {
        List<String> wrong = new ArrayList<>();
        for (Language l : Language.humanEvalPack()) {
            for (HumanEvalTask t : HumanEvalPack.load(l)) {
                EvalPrompt p = EvalPrompts.explainSynthesis(t, t.docstring());
                for (Oracle mode : java.util.List.of(Oracle.CANONICAL, Oracle.BUGGY)) {
                    String completion = Completions.extract(p, OracleAnswers.generation(mode, p));
                    if (!completion.equals(OracleAnswers.answer(mode, p).stripTrailing())) {
                        wrong.add(t.taskId() + " " + mode);
                    }
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void declarationStartsAreContinuedByTheWholeSolutionExceptWhereTheyHoldPartOfIt() {
        List<String> shortened = new ArrayList<>();
        for (Language l : Language.humanEvalPack()) {
            for (HumanEvalTask t : HumanEvalPack.load(l)) {
                EvalPrompt p = EvalPrompts.explainSynthesis(t, "d");
                String whole = CodeStarts.trailingWhitespace(CodeStarts.declarationBase(t)) + t.canonicalSolution();
                if (!OracleAnswers.answer(Oracle.CANONICAL, p).equals(whole)) {
                    shortened.add(t.taskId());
                }
            }
        }
        assertThat(shortened).containsExactly("CPP/38");
    }

    @Test
    void translationCutsBackToTheTargetSolutionForAllPairs() {
        List<String> wrong = new ArrayList<>();
        int pairs = 0;
        for (Language source : Language.humanEvalPack()) {
            for (Language target : Language.humanEvalPack()) {
                if (source == target) {
                    continue;
                }
                pairs++;
                for (int n : TRANSLATION_SAMPLE) {
                    EvalPrompt p = EvalPrompts.translation(HumanEvalPack.task(source, n), HumanEvalPack.task(target, n));
                    String completion = Completions.extract(p, OracleAnswers.generation(Oracle.CANONICAL, p));
                    if (!completion.equals(OracleAnswers.answer(Oracle.CANONICAL, p).stripTrailing())) {
                        wrong.add(p.label());
                    }
                }
            }
        }
        assertThat(pairs).isEqualTo(30);
        assertThat(wrong).isEmpty();
    }

    @Test
    void buggySolutionsAlsoCutBackWhole() {
        List<String> wrong = new ArrayList<>();
        for (Language l : Language.humanEvalPack()) {
            for (HumanEvalTask t : HumanEvalPack.load(l)) {
                EvalPrompt p = EvalPrompts.synthesis(t);
                String completion = Completions.extract(p, OracleAnswers.generation(Oracle.BUGGY, p));
                if (!completion.equals(OracleAnswers.answer(Oracle.BUGGY, p).stripTrailing())) {
                    wrong.add(t.taskId());
                }
            }
        }
        assertThat(wrong).isEmpty();
    }
}
