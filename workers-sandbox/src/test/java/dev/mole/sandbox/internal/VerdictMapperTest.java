package dev.mole.sandbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mole.contracts.sandbox.SandboxVerdict;
import dev.mole.sandbox.internal.VerdictMapper.Phase;
import dev.mole.sandbox.internal.VerdictMapper.RunSignals;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class VerdictMapperTest {

    /** A run whose tests printed the completion marker, unless a test says otherwise. */
    private static final RunSignals FINISHED = new RunSignals(false, false, true);

    private static ProcessOutcome outcome(int exit, String stderr) {
        return new ProcessOutcome(exit, false, false, false, false, "", stderr, 0, Duration.ofMillis(5), null);
    }

    private static VerdictMapper.Verdict run(ProcessOutcome o) {
        return VerdictMapper.map(Phase.RUN, o, FINISHED, 1000, 10);
    }

    private static VerdictMapper.Verdict runWithoutMarker(ProcessOutcome o) {
        return VerdictMapper.map(Phase.RUN, o, new RunSignals(false, false, false), 1000, 10);
    }

    @Test
    void exitZeroPassesNonZeroFails() {
        assertThat(run(outcome(0, "")).verdict()).isEqualTo(SandboxVerdict.PASS);
        VerdictMapper.Verdict v = run(outcome(1, "AssertionError"));
        assertThat(v.verdict()).isEqualTo(SandboxVerdict.FAIL);
        assertThat(v.reason()).contains("exit code 1");
    }

    @Test
    void signalDeathIsAFailureNamingTheSignal() {
        VerdictMapper.Verdict v = run(outcome(134, "Assertion `x' failed."));
        assertThat(v.verdict()).isEqualTo(SandboxVerdict.FAIL);
        assertThat(v.reason()).contains("signal 6");
    }

    @Test
    void stderrAloneFailsOnlyWhereTheLanguageSaysSo() {
        ProcessOutcome o = outcome(0, "Assertion failed");
        assertThat(VerdictMapper.map(Phase.RUN, o, new RunSignals(true, false, true), 1000, 10).verdict()).isEqualTo(SandboxVerdict.FAIL);
        assertThat(VerdictMapper.map(Phase.RUN, o, FINISHED, 1000, 10).verdict()).isEqualTo(SandboxVerdict.PASS);
    }

    @Test
    void compilePhaseFailureIsACompileError() {
        VerdictMapper.Verdict v = VerdictMapper.map(Phase.COMPILE, outcome(1, "error: expected ';'"), RunSignals.COMPILE_PHASE, 1000, 10);
        assertThat(v.verdict()).isEqualTo(SandboxVerdict.COMPILE_ERROR);
        assertThat(VerdictMapper.map(Phase.RUN, outcome(1, "x"), new RunSignals(false, true, false), 1000, 10).verdict())
                .isEqualTo(SandboxVerdict.COMPILE_ERROR);
    }

    @Test
    void limitsWinOverTheExitCodeTheyCaused() {
        ProcessOutcome timedOut = new ProcessOutcome(-1, true, false, false, false, "", "", 0, Duration.ofSeconds(10), null);
        assertThat(run(timedOut).verdict()).isEqualTo(SandboxVerdict.TIMEOUT);
        assertThat(run(timedOut).reason()).contains("10 s");
        ProcessOutcome output = new ProcessOutcome(-1, false, true, false, false, "", "", 5000, Duration.ofSeconds(1), null);
        assertThat(run(output).verdict()).isEqualTo(SandboxVerdict.OUTPUT_LIMIT);
        ProcessOutcome oom = new ProcessOutcome(137, false, false, true, false, "", "", 0, Duration.ofSeconds(1), null);
        assertThat(run(oom).verdict()).isEqualTo(SandboxVerdict.MEMORY_LIMIT);
        assertThat(run(outcome(128 + 24, "")).verdict()).as("SIGXCPU").isEqualTo(SandboxVerdict.TIMEOUT);
        assertThat(run(outcome(1, "Traceback...\nMemoryError")).verdict()).isEqualTo(SandboxVerdict.MEMORY_LIMIT);
    }

    @Test
    void launcherFailuresAreSandboxErrorsNotProgramFailures() {
        assertThat(run(outcome(125, "mole-sandbox: cannot enter cgroup /x")).verdict()).isEqualTo(SandboxVerdict.SANDBOX_ERROR);
        assertThat(run(outcome(1, "bwrap: execvp /nope: No such file")).verdict()).isEqualTo(SandboxVerdict.SANDBOX_ERROR);
        ProcessOutcome notStarted = new ProcessOutcome(-1, false, false, false, false, "", "", 0, Duration.ZERO, "cannot start");
        assertThat(run(notStarted).verdict()).isEqualTo(SandboxVerdict.SANDBOX_ERROR);
    }

    @Test
    void printingAnOutOfMemoryMessageCannotTurnAFailureIntoAPass() {
        assertThat(run(outcome(0, "MemoryError")).verdict()).isEqualTo(SandboxVerdict.PASS);
        assertThat(run(outcome(3, "MemoryError")).verdict()).isNotEqualTo(SandboxVerdict.PASS);
    }

    @Test
    void exitZeroWithoutTheCompletionMarkerIsAFailure() {
        VerdictMapper.Verdict v = runWithoutMarker(outcome(0, ""));
        assertThat(v.verdict()).isEqualTo(SandboxVerdict.FAIL);
        assertThat(v.reason()).isEqualTo("exited before the tests finished (no completion marker)");
    }

    @Test
    void theMissingMarkerExplainsNothingThatAnotherRuleExplainsFirst() {
        assertThat(runWithoutMarker(outcome(1, "AssertionError")).reason()).isEqualTo("exit code 1");
        assertThat(runWithoutMarker(outcome(134, "")).reason()).contains("signal 6");
        ProcessOutcome timedOut = new ProcessOutcome(-1, true, false, false, false, "", "", 0, Duration.ofSeconds(10), null);
        assertThat(runWithoutMarker(timedOut).verdict()).isEqualTo(SandboxVerdict.TIMEOUT);
        ProcessOutcome oom = new ProcessOutcome(137, false, false, true, false, "", "", 0, Duration.ofSeconds(1), null);
        assertThat(runWithoutMarker(oom).verdict()).isEqualTo(SandboxVerdict.MEMORY_LIMIT);
        assertThat(runWithoutMarker(outcome(125, "mole-sandbox: cannot enter cgroup /x")).verdict()).isEqualTo(SandboxVerdict.SANDBOX_ERROR);
        VerdictMapper.Verdict jsAssert = VerdictMapper.map(Phase.RUN, outcome(0, "Assertion failed"), new RunSignals(true, false, false), 1000, 10);
        assertThat(jsAssert.reason()).contains("console.assert");
    }

    @Test
    void theCompilePhaseNeedsNoMarker() {
        VerdictMapper.Verdict v = VerdictMapper.map(Phase.COMPILE, outcome(0, ""), RunSignals.COMPILE_PHASE, 1000, 10);
        assertThat(v.verdict()).isEqualTo(SandboxVerdict.PASS);
    }
}
