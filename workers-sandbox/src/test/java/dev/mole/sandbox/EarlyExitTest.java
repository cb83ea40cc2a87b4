package dev.mole.sandbox;

import dev.mole.contracts.language.Language;
import dev.mole.evaluation.HumanEvalPack;
import dev.mole.evaluation.HumanEvalTask;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mole.contracts.sandbox.SandboxProgram;
import dev.mole.contracts.sandbox.SandboxResult;
import dev.mole.contracts.sandbox.SandboxVerdict;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Candidates that end the process with status 0 before the tests have run, through the real toolchains: none may PASS.
 * Every language's task 0 is graded with such candidates, and with its canonical solution as the control (the same
 * harness must still pass honest code, so a verdict of FAIL here is about the early exit, not a broken set-up).
 */
@Tag("sandbox")
class EarlyExitTest {
    static final String NO_MARKER = "exited before the tests finished (no completion marker)";
    /** A marker of the right shape with a guessed nonce. */
    private static final String GUESSED_MARKER = "mole-tests-finished-" + "0".repeat(32);

    private static Sandbox sandbox;
    private static Map<Language, List<HumanEvalTask>> tasks;

    @BeforeAll
    static void start() {
        sandbox = Sandbox.start(SandboxConfig.defaults());
        for (Language l : Language.humanEvalPack()) {
            assertThat(sandbox.report().canRun(l)).as("%s toolchain%n%s", l, sandbox.report().render()).isTrue();
        }
        tasks = new EnumMap<>(Language.class);
        for (Language l : Language.humanEvalPack()) {
            tasks.put(l, HumanEvalPack.load(l));
        }
    }

    @AfterAll
    static void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    /** A candidate for task 0 of {@code language}; Go's imports are the task's own plus {@code extraGoImports}. */
    private static SandboxProgram candidate(Language language, String id, String solution, String... extraGoImports) {
        return candidate(tasks.get(language).get(0), id, solution, extraGoImports);
    }

    private static SandboxProgram candidate(HumanEvalTask t, String id, String solution, String... extraGoImports) {
        StringBuilder goImport = new StringBuilder(t.goImport());
        for (String path : extraGoImports) {
            goImport.append("\nimport \"").append(path).append("\"\n");
        }
        return new SandboxProgram(id, t.language().id(), t.taskId(), t.prompt(), solution, t.test(), goImport.toString(), t.goTestSetup());
    }

    private static List<SandboxProgram> exitingEarly() {
        return List.of(
                candidate(Language.PYTHON, "python-sys-exit", "    import sys\n    sys.exit(0)\n"),
                candidate(Language.PYTHON, "python-os-exit", "    import os\n    os._exit(0)\n"),
                candidate(Language.PYTHON, "python-guessed-marker",
                        "    import sys\n    print()\n    print('" + GUESSED_MARKER + "', flush=True)\n    sys.exit(0)\n"),
                candidate(Language.JAVASCRIPT, "js-process-exit", "  process.exit(0)\n}\n"),
                candidate(Language.JAVASCRIPT, "js-guessed-marker", "  console.log('\\n" + GUESSED_MARKER + "')\n  process.exit(0)\n}\n"),
                candidate(Language.CPP, "cpp-exit", "    exit(0);\n}\n"),
                // CPP/0 includes no <stdlib.h>: its <math.h> brings the global exit only. CPP/53 includes it.
                candidate(tasks.get(Language.CPP).get(53), "cpp-std-exit", "    std::exit(0);\n}\n"),
                candidate(Language.CPP, "cpp-_Exit", "    _Exit(0);\n}\n"),
                candidate(Language.CPP, "cpp-quick_exit", "    quick_exit(0);\n}\n"),
                candidate(Language.CPP, "cpp-guessed-marker", "    printf(\"\\n" + GUESSED_MARKER + "\\n\");\n    exit(0);\n}\n"),
                candidate(Language.JAVA, "java-system-exit", "        System.exit(0);\n        return false;\n    }\n}\n"),
                candidate(Language.JAVA, "java-halt", "        Runtime.getRuntime().halt(0);\n        return false;\n    }\n}\n"),
                candidate(Language.RUST, "rust-process-exit", "    std::process::exit(0)\n}\n"),
                candidate(Language.RUST, "rust-fake-summary", "    use std::io::Write;\n"
                        + "    std::io::stdout().write_all(b\"\\ntest result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out\\n\").unwrap();\n"
                        + "    std::process::exit(0)\n}\n"),
                candidate(Language.GO, "go-syscall-exit", "    syscall.Exit(0)\n    return false\n}\n", "syscall"),
                candidate(Language.GO, "go-exit-in-init", "    return false\n}\n\nfunc init() {\n    fmt.Println(\"PASS\")\n    os.Exit(0)\n}\n", "os"));
    }

    @Test
    void candidatesThatExitZeroBeforeTheTestsFinishFail() {
        List<SandboxProgram> programs = exitingEarly();
        List<SandboxResult> results = sandbox.runAll(programs, r -> { });
        assertThat(results).allSatisfy(r -> {
            assertThat(r.verdict()).as("%s: %s%nstdout: %s%nstderr: %s", r.id(), r.reason(), r.stdout(), r.stderr())
                    .isEqualTo(SandboxVerdict.FAIL);
            assertThat(r.exitCode()).as("%s exits 0 (the case this test is about)", r.id()).isZero();
            assertThat(r.reason()).as(r.id()).isEqualTo(NO_MARKER);
        });
    }

    /**
     * {@code go test} passes {@code -test.paniconexit0} to the test binary, which turns os.Exit(0) during a test into a
     * panic; the sandbox runs the compiled binary itself, so it must pass the flag too. With it, the harness's own
     * failure is the verdict (syscall.Exit and exits outside the tests still need the completion marker above).
     */
    @Test
    void goOsExitZeroDuringATestIsCaughtByTheTestHarness() {
        List<SandboxResult> results = sandbox.runAll(List.of(
                candidate(Language.GO, "go-os-exit", "    os.Exit(0)\n    return false\n}\n", "os"),
                // No import needed: testing.Main runs an empty test list, then calls os.Exit(0) itself.
                candidate(Language.GO, "go-nested-testing-main", "    testing.Main(func(string, string) (bool, error) { return true, nil },"
                        + " nil, nil, nil)\n    return false\n}\n")), r -> { });
        assertThat(results).allSatisfy(r -> {
            assertThat(r.verdict()).as("%s: %s%n%s", r.id(), r.reason(), r.stderr()).isEqualTo(SandboxVerdict.FAIL);
            assertThat(r.exitCode()).as(r.id()).isNotZero();
            assertThat(r.stdout() + r.stderr()).as(r.id()).contains("unexpected call to os.Exit(0) during test");
        });
    }

    @Test
    void theSameTasksCanonicalSolutionsPassAndShowNoMarker() {
        List<SandboxProgram> programs = new ArrayList<>();
        tasks.values().forEach(t -> programs.add(t.get(0).canonicalProgram()));
        List<SandboxResult> results = sandbox.runAll(programs, r -> { });
        assertThat(results).allSatisfy(r -> {
            assertThat(r.verdict()).as("%s: %s%nstdout: %s%nstderr: %s", r.id(), r.reason(), r.stdout(), r.stderr())
                    .isEqualTo(SandboxVerdict.PASS);
            assertThat(r.stdout()).as("%s: the marker is the sandbox's, not output to show", r.id())
                    .doesNotContain("mole-tests-finished");
        });
    }
}
