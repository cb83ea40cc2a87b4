package dev.mole.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mole.contracts.language.Language;
import dev.mole.contracts.sandbox.SandboxProgram;
import dev.mole.contracts.sandbox.SandboxResult;
import dev.mole.contracts.sandbox.SandboxVerdict;
import dev.mole.evaluation.HumanEvalPack;
import dev.mole.evaluation.HumanEvalTask;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The cached runner's shortcuts must judge programs as the plain toolchains do: Java's warm javac server (and its
 * per-program fallback), Go's moletest (and its hand-over to go test). One slot, so every Java program here meets the
 * same server, after whatever the program before it did to it.
 */
@Tag("sandbox")
class FastCompileTest {
    private static SandboxConfig config;
    private static Sandbox sandbox;
    private static HumanEvalTask java0;
    private static HumanEvalTask go0;

    @BeforeAll
    static void start() {
        config = SandboxConfig.defaults().withParallelism(1).withLanguages(EnumSet.of(Language.JAVA, Language.GO));
        sandbox = Sandbox.start(config);
        assertThat(sandbox.report().canRun(Language.JAVA)).as(sandbox.report().render()).isTrue();
        assertThat(sandbox.report().canRun(Language.GO)).as(sandbox.report().render()).isTrue();
        java0 = HumanEvalPack.load(Language.JAVA).get(0);
        go0 = HumanEvalPack.load(Language.GO).get(0);
    }

    @AfterAll
    static void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    private static SandboxResult run(SandboxProgram p) {
        SandboxResult r = sandbox.run(p);
        System.out.printf("%s: %s %s (compile %d ms, run %d ms)%n", p.id(), r.verdict(), r.reason(), r.compileMillis(), r.runMillis());
        return r;
    }

    private static SandboxProgram goCandidate(String id, String solution, String... extraImports) {
        StringBuilder imports = new StringBuilder(go0.goImport());
        for (String path : extraImports) {
            imports.append("\nimport \"").append(path).append("\"\n");
        }
        return new SandboxProgram(id, go0.language().id(), go0.taskId(), go0.prompt(), solution, go0.test(), imports.toString(),
                go0.goTestSetup());
    }

    @Test
    void javaVerdictsOnOneServerInARow() {
        List<SandboxResult> results = new ArrayList<>();
        results.add(run(java0.canonicalProgram()));
        results.add(run(java0.program("java-type-error", "        return undefinedVariable;\n    }\n}\n")));
        results.add(run(java0.program("java-syntax-error", "        return ((;\n    }\n}\n")));
        results.add(run(java0.buggyProgram()));
        results.add(run(java0.canonicalProgram()));
        assertThat(results).extracting(SandboxResult::verdict).containsExactly(SandboxVerdict.PASS, SandboxVerdict.COMPILE_ERROR,
                SandboxVerdict.COMPILE_ERROR, SandboxVerdict.FAIL, SandboxVerdict.PASS);
        assertThat(results.get(1).stderr()).contains("Main.java").contains("error: cannot find symbol");
    }

    /** The single-file source launcher the runner used before accepts a public class in any file name; so must we. */
    @Test
    void javaCompilesAsTheSourceLauncherDid() {
        SandboxResult r = run(java0.program("java-extra-public-class", java0.canonicalSolution() + "\npublic class Extra {}\n"));
        assertThat(r.verdict()).as("%s %s", r.reason(), r.stderr()).isEqualTo(SandboxVerdict.PASS);
    }

    /** The server runs under a uid of its own, after the slots': no slot uid keeps a process between runs. */
    @Test
    void theJavacServerIsNoProcessOfASlotUid() throws Exception {
        assertThat(run(java0.canonicalProgram()).verdict()).isEqualTo(SandboxVerdict.PASS);
        assertThat(SandboxProcesses.awaitNoneOwnedBySlots(config)).isEmpty();
    }

    /** Diagnostics past the output limit: the server hands over, and the per-program compile is killed at the limit. */
    @Test
    void whatTheServerCannotJudgeIsCompiledInASandboxOfItsOwn() {
        SandboxConfig small = config.withPolicy(config.policy().withMaxOutputBytes(2048)).withFirstUid(config.firstUid() + 8);
        try (Sandbox s = Sandbox.start(small)) {
            StringBuilder errors = new StringBuilder();
            for (int i = 0; i < 60; i++) {
                errors.append("        int x").append(i).append(" = \"not an int\";\n");
            }
            SandboxResult noisy = s.run(java0.program("java-many-errors", errors + "        return false;\n    }\n}\n"));
            assertThat(noisy.verdict()).as("%s %s", noisy.reason(), noisy.stderr()).isEqualTo(SandboxVerdict.OUTPUT_LIMIT);
            SandboxResult after = s.run(java0.canonicalProgram());
            assertThat(after.verdict()).as("%s %s", after.reason(), after.stderr()).isEqualTo(SandboxVerdict.PASS);
        }
    }

    @Test
    void goVerdictsWithAndWithoutGoTest() {
        List<SandboxResult> results = List.of(
                run(go0.canonicalProgram()),
                run(go0.buggyProgram()),
                // Type error: moletest's own compile rejects it.
                run(goCandidate("go-type-error", "    return undefinedVariable\n}\n")),
                // Syntax error: moletest cannot parse it and leaves it to go test.
                run(goCandidate("go-syntax-error", "    return ((\n}\n")),
                // A package outside the prepared import config: go test compiles it from Debian's gocode tree.
                run(goCandidate("go-testify-require", "    require.True(nil, true)\n    return false\n}\n",
                        "github.com/stretchr/testify/require")),
                // The standard library's internal packages are not importable, as with go test.
                run(goCandidate("go-internal-import", "    return cpu.X86.HasAVX && false\n}\n", "internal/cpu")));
        assertThat(results).extracting(SandboxResult::verdict).containsExactly(SandboxVerdict.PASS, SandboxVerdict.FAIL,
                SandboxVerdict.COMPILE_ERROR, SandboxVerdict.COMPILE_ERROR, SandboxVerdict.FAIL, SandboxVerdict.COMPILE_ERROR);
        assertThat(results.get(2).stderr()).contains("undefined: undefinedVariable");
        assertThat(results.get(3).stderr()).contains("expected operand"); // go test's own parser, not the compiler
        assertThat(results.get(5).stderr()).contains("use of internal package");
    }
}
