package dev.mole.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mole.contracts.language.Language;
import dev.mole.contracts.sandbox.SandboxProgram;
import dev.mole.contracts.sandbox.SandboxResult;
import dev.mole.contracts.sandbox.SandboxVerdict;
import dev.mole.evaluation.Completions;
import dev.mole.evaluation.Descriptions;
import dev.mole.evaluation.EvalPrompt;
import dev.mole.evaluation.EvalPrompts;
import dev.mole.evaluation.GradedPrograms;
import dev.mole.evaluation.HumanEvalPack;
import dev.mole.evaluation.HumanEvalTask;
import dev.mole.evaluation.OracleAnswers;
import dev.mole.contracts.evaluation.Oracle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The evaluation path end to end with a model that knows the answers: the oracle's raw generations go through the
 * prompts' cut rules, the graded-program builder and the real sandbox, as a model's would. Canonical answers must all
 * pass, buggy ones all fail. A subset chosen for what it exercises (the full 984 per kind is the bench's job, and this
 * has to stay near a minute on two cores): two synthesis tasks and one explain task (describe, clean, synthesize) per
 * language, and translation over all 30 ordered pairs with one task each.
 *
 * <p>Go/10, 32, 38, 50: helpers only the prompt has; Go/72, Rust/137, 145: helpers after the function; Go/90: a
 * {@code struct{}} in the body (an upstream stop word); CPP/38: a declaration that opens the body; CPP/94: includes
 * after the function; JavaScript/144: regular expressions with slashes; Rust's declarations: {@code fn main(){}}.
 */
@Tag("sandbox")
class OracleGradingTest {
    private static final Map<Language, List<Integer>> SYNTHESIS = Map.of(
            Language.PYTHON, List.of(0, 10),
            Language.CPP, List.of(38, 94),
            Language.GO, List.of(72, 90),
            Language.JAVA, List.of(0, 10),
            Language.JAVASCRIPT, List.of(0, 144),
            Language.RUST, List.of(137, 145));
    private static final Map<Language, Integer> EXPLAIN = Map.of(
            Language.PYTHON, 10, Language.CPP, 38, Language.GO, 10, Language.JAVA, 38, Language.JAVASCRIPT, 5, Language.RUST, 0);
    /** By target language, one task for each of the five sources in {@link Language#humanEvalPack()} order. */
    private static final Map<Language, List<Integer>> TRANSLATION = Map.of(
            Language.PYTHON, List.of(0, 10, 32, 38, 50),
            Language.CPP, List.of(38, 94, 0, 10, 50),
            Language.GO, List.of(10, 32, 38, 50, 72),
            Language.JAVA, List.of(0, 10, 32, 38, 50),
            Language.JAVASCRIPT, List.of(0, 10, 144, 38, 50),
            Language.RUST, List.of(137, 145, 32, 50, 0));
    private static Sandbox sandbox;

    @BeforeAll
    static void start() {
        sandbox = Sandbox.start(SandboxConfig.defaults());
        List<String> missing = new ArrayList<>();
        for (Language l : Language.humanEvalPack()) {
            if (!sandbox.report().canRun(l)) {
                missing.add(l.id());
            }
        }
        // CI installs every toolchain: a missing one is a set-up failure, never a silent skip.
        assertThat(missing).as("toolchains missing on this machine (run .ci/install-prerequisites and .ci/install-sandbox-extras)%n%s",
                sandbox.report().render()).isEmpty();
    }

    @AfterAll
    static void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    private static List<EvalPrompt> prompts() {
        List<EvalPrompt> prompts = new ArrayList<>();
        for (Language l : Language.humanEvalPack()) {
            SYNTHESIS.get(l).forEach(n -> prompts.add(EvalPrompts.synthesis(HumanEvalPack.task(l, n))));
            HumanEvalTask t = HumanEvalPack.task(l, EXPLAIN.get(l));
            EvalPrompt describe = EvalPrompts.explainDescribe(t);
            String said = Completions.extract(describe, OracleAnswers.generation(Oracle.CANONICAL, describe));
            prompts.add(EvalPrompts.explainSynthesis(t, Descriptions.clean(said, t)));
        }
        int pairs = 0;
        for (Language target : Language.humanEvalPack()) {
            int source = 0;
            for (Language l : Language.humanEvalPack()) {
                if (l != target) {
                    int n = TRANSLATION.get(target).get(source++);
                    prompts.add(EvalPrompts.translation(HumanEvalPack.task(l, n), HumanEvalPack.task(target, n)));
                    pairs++;
                }
            }
        }
        assertThat(pairs).isEqualTo(30);
        return prompts;
    }

    private static List<SandboxProgram> programs(List<EvalPrompt> prompts, Oracle mode) {
        return prompts.stream().map(p -> GradedPrograms.fromGeneration(p.label() + "/" + mode.name().toLowerCase(), p,
                OracleAnswers.generation(mode, p))).toList();
    }

    @Test
    void canonicalAnswersPassAndBuggyOnesFailThroughTheWholePath() {
        List<EvalPrompt> prompts = prompts();
        List<SandboxProgram> programs = new ArrayList<>(programs(prompts, Oracle.CANONICAL));
        programs.addAll(programs(prompts, Oracle.BUGGY));
        List<SandboxResult> results = sandbox.runAll(programs, r -> { });

        assertThat(results).extracting(SandboxResult::id).doesNotHaveDuplicates();
        List<SandboxResult> canonical = results.subList(0, prompts.size());
        List<SandboxResult> buggy = results.subList(prompts.size(), results.size());
        assertThat(canonical).allSatisfy(r -> assertThat(r.verdict())
                .as("%s: %s%nstdout: %s%nstderr: %s", r.id(), r.reason(), r.stdout(), r.stderr())
                .isEqualTo(SandboxVerdict.PASS));
        assertThat(buggy).allSatisfy(r -> assertThat(r.verdict())
                .as("%s: %s", r.id(), r.reason())
                .isNotIn(SandboxVerdict.PASS, SandboxVerdict.SANDBOX_ERROR));
    }
}
