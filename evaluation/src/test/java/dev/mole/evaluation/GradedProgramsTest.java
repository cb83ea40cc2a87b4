package dev.mole.evaluation;

import dev.mole.contracts.evaluation.Oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mole.contracts.language.Language;
import dev.mole.contracts.sandbox.SandboxProgram;
import org.junit.jupiter.api.Test;

class GradedProgramsTest {

    @Test
    void synthesisGradesThePromptTheCompletionAndTheTaskTests() {
        HumanEvalTask t = HumanEvalPack.task(Language.GO, 12);
        EvalPrompt p = EvalPrompts.synthesis(t);
        SandboxProgram program = GradedPrograms.program("run-1/Go/12/0", p, "\n    return nil\n}");
        assertThat(program.id()).isEqualTo("run-1/Go/12/0");
        assertThat(program.language()).isEqualTo("go");
        assertThat(program.taskId()).isEqualTo("Go/12");
        assertThat(program.prompt()).isEqualTo(p.codeStart()).isEqualTo(t.prompt().strip());
        assertThat(program.solution()).isEqualTo("\n    return nil\n}");
        assertThat(program.test()).isEqualTo(t.test());
        assertThat(program.goImport()).isEqualTo(t.goImport());
        assertThat(program.goTestSetup()).isEqualTo(t.goTestSetup());
    }

    @Test
    void translationGradesTheTargetsDeclarationAndTests() {
        HumanEvalTask target = HumanEvalPack.task(Language.JAVASCRIPT, 7);
        EvalPrompt p = EvalPrompts.translation(HumanEvalPack.task(Language.RUST, 7), target);
        SandboxProgram program = GradedPrograms.fromGeneration("t", p, OracleAnswers.generation(Oracle.CANONICAL, p));
        assertThat(program.language()).isEqualTo("js");
        assertThat(program.taskId()).isEqualTo("JavaScript/7");
        assertThat(program.prompt()).isEqualTo(target.declaration().strip());
        assertThat(program.solution()).isEqualTo("\n" + target.canonicalSolution().stripTrailing());
        assertThat(program.test()).isEqualTo(target.test());
    }

    @Test
    void explainSynthesisGradesTheDeclarationTheModelWasGiven() {
        HumanEvalTask t = HumanEvalPack.task(Language.GO, 38);
        EvalPrompt p = EvalPrompts.explainSynthesis(t, "decodes");
        SandboxProgram program = GradedPrograms.fromGeneration("e", p, OracleAnswers.generation(Oracle.CANONICAL, p));
        assertThat(program.prompt()).isEqualTo(p.codeStart()).contains("func EncodeCyclic(");
        assertThat(program.solution()).isEqualTo("\n" + t.canonicalSolution().stripTrailing());
    }

    @Test
    void descriptionsAreNotPrograms() {
        EvalPrompt p = EvalPrompts.explainDescribe(HumanEvalPack.task(Language.PYTHON, 1));
        assertThatThrownBy(() -> GradedPrograms.program("d", p, "text")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("explain-synthesis");
    }
}
