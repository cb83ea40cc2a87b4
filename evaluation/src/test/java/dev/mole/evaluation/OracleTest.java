package dev.mole.evaluation;

import dev.mole.contracts.evaluation.Oracle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mole.contracts.language.Language;
import org.junit.jupiter.api.Test;

class OracleTest {

    @Test
    void codeGenerationsCloseTheFenceAndGoOnWithProse() {
        HumanEvalTask t = HumanEvalPack.task(Language.JAVA, 3);
        EvalPrompt p = EvalPrompts.synthesis(t);
        String g = OracleAnswers.generation(Oracle.CANONICAL, p);
        assertThat(g).isEqualTo("\n" + t.canonicalSolution() + "\n" + OracleAnswers.EPILOGUE); // Java's solutions end in "}"
        assertThat(OracleAnswers.generation(Oracle.BUGGY, p)).startsWith("\n" + t.buggySolution());
        assertThat(t.buggySolution()).isNotEqualTo(t.canonicalSolution());
    }

    @Test
    void explainDescribeAnswersWithTheDocstringAndItSurvivesCleaning() {
        HumanEvalTask t = HumanEvalPack.task(Language.RUST, 4);
        EvalPrompt p = EvalPrompts.explainDescribe(t);
        String g = OracleAnswers.generation(Oracle.CANONICAL, p);
        assertThat(g).isEqualTo(t.docstring());
        assertThat(Descriptions.clean(Completions.extract(p, g), t)).isEqualTo(t.docstring().strip());
    }

    @Test
    void declarationAnswersLeaveOutWhatTheDeclarationAlreadyHolds() {
        HumanEvalTask t = HumanEvalPack.task(Language.CPP, 38);
        EvalPrompt p = EvalPrompts.translation(HumanEvalPack.task(Language.PYTHON, 38), t);
        String answer = OracleAnswers.answer(Oracle.CANONICAL, p);
        assertThat(answer).startsWith("\n        x=s.substr(i*3,3);");
        assertThat(p.codeStart() + answer).endsWith("    return output;\n\n\n}\n");
    }
}
