package dev.mole.sandbox;

import dev.mole.contracts.language.Language;
import dev.mole.evaluation.HumanEvalPack;
import dev.mole.evaluation.HumanEvalTask;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mole.contracts.sandbox.SandboxProgram;
import dev.mole.contracts.sandbox.SandboxResult;
import dev.mole.contracts.sandbox.SandboxVerdict;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Five HumanEvalPack tasks per language, canonical and buggy, through the cached parallel runner: canonical must pass,
 * buggy must not. The sample includes the tasks that need special handling (Go prompt helpers, Boost, OpenSSL, js-md5,
 * the rand 0.7 shim), so a regression in any of them shows here; the full 984 are the bench's job.
 */
@Tag("sandbox")
class HumanEvalSampleTest {
    private static final Map<Language, List<Integer>> SAMPLE = Map.of(
            Language.CPP, List.of(23, 22, 38, 137, 162), // 23: a precompiled <bits/stdc++.h> made its buggy solution pass
            Language.GO, List.of(0, 10, 32, 38, 50),
            Language.JAVA, List.of(0, 1, 2, 3, 4),
            Language.JAVASCRIPT, List.of(0, 1, 2, 3, 162),
            Language.PYTHON, List.of(0, 1, 2, 3, 4),
            Language.RUST, List.of(0, 1, 32, 50, 162));
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
        assertThat(sandbox.report().toolchains()).allSatisfy(t -> assertThat(t.warnings())
                .as("%s toolchain warnings", t.language()).noneMatch(w -> w.startsWith("missing") || w.contains("not vendored")));
    }

    @AfterAll
    static void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    private static List<HumanEvalTask> sampleTasks() {
        List<HumanEvalTask> tasks = new ArrayList<>();
        for (Language l : Language.humanEvalPack()) {
            List<HumanEvalTask> all = HumanEvalPack.load(l);
            assertThat(all).hasSize(164);
            SAMPLE.get(l).forEach(i -> tasks.add(all.get(i)));
        }
        return tasks;
    }

    @Test
    void canonicalSolutionsPassAndBuggyOnesDoNot() {
        List<HumanEvalTask> tasks = sampleTasks();
        List<SandboxProgram> programs = new ArrayList<>();
        tasks.forEach(t -> programs.add(t.canonicalProgram()));
        tasks.forEach(t -> programs.add(t.buggyProgram()));
        List<SandboxResult> results = sandbox.runAll(programs, r -> { });

        List<SandboxResult> canonical = results.subList(0, tasks.size());
        List<SandboxResult> buggy = results.subList(tasks.size(), results.size());
        assertThat(canonical).allSatisfy(r -> assertThat(r.verdict())
                .as("%s canonical: %s%nstdout: %s%nstderr: %s", r.taskId(), r.reason(), r.stdout(), r.stderr())
                .isEqualTo(SandboxVerdict.PASS));
        assertThat(buggy).allSatisfy(r -> assertThat(r.verdict())
                .as("%s buggy: %s", r.taskId(), r.reason())
                .isNotIn(SandboxVerdict.PASS, SandboxVerdict.SANDBOX_ERROR)); // e.g. CPP/22's bug allocates until the memory limit
        assertThat(results).extracting(SandboxResult::id).doesNotHaveDuplicates();
    }

    @Test
    void theSameProgramGetsTheSameVerdictEveryRun() {
        HumanEvalTask js = HumanEvalPack.load(Language.JAVASCRIPT).get(2); // a console.assert failure when buggy
        HumanEvalTask py = HumanEvalPack.load(Language.PYTHON).get(12);
        List<SandboxProgram> programs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            programs.add(js.buggyProgram());
            programs.add(py.canonicalProgram());
        }
        List<SandboxResult> results = sandbox.runAll(programs, r -> { });
        assertThat(results.stream().filter(r -> r.language().equals("js")).map(SandboxResult::verdict).distinct().toList())
                .containsExactly(SandboxVerdict.FAIL);
        assertThat(results.stream().filter(r -> r.language().equals("python")).map(SandboxResult::verdict).distinct().toList())
                .containsExactly(SandboxVerdict.PASS);
    }

    @Test
    void compileErrorsAreReportedAsSuch() {
        HumanEvalTask cpp = HumanEvalPack.load(Language.CPP).get(0);
        HumanEvalTask java = HumanEvalPack.load(Language.JAVA).get(0);
        HumanEvalTask rust = HumanEvalPack.load(Language.RUST).get(0);
        List<SandboxResult> results = sandbox.runAll(List.of(
                cpp.program("cpp-broken", "    return not valid c++ ;;; }\n"),
                java.program("java-broken", "        return undefinedVariable;\n    }\n}\n"),
                rust.program("rust-broken", "    let x: i32 = \"text\"; true\n}\n")), r -> { });
        assertThat(results).allSatisfy(r -> assertThat(r.verdict()).as("%s: %s %s", r.id(), r.reason(), r.stderr())
                .isEqualTo(SandboxVerdict.COMPILE_ERROR));
        assertThat(results.get(0).stderr()).contains("error");
    }
}
