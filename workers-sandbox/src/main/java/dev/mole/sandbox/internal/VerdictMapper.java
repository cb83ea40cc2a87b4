package dev.mole.sandbox.internal;

import dev.mole.contracts.sandbox.SandboxVerdict;
import java.util.List;

/**
 * From what a phase did to a verdict and a one-line reason. Limits come first (they explain any exit code that
 * follows from them), then launcher failures, then the program's own outcome. A program can make its verdict worse by
 * printing misleading text (e.g. an out-of-memory message), never turn a failure into PASS. A run passes only with
 * exit status 0 and its completion marker on stdout: status 0 alone is what a candidate that ends the process before
 * the tests (sys.exit(0), process.exit(0), exit(0)...) also gets.
 */
public final class VerdictMapper {
    public enum Phase { COMPILE, RUN }

    public record Verdict(SandboxVerdict verdict, String reason) {}

    /**
     * What the language and the program's output say beyond the exit status.
     *
     * @param failsOnStderr output on stderr is a failure (JavaScript's console.assert prints there and exits 0)
     * @param compileErrorInRun a one-process language's run phase was its compiler rejecting the program
     * @param completionMarkerSeen the run printed its completion marker: its tests ran to their end
     */
    public record RunSignals(boolean failsOnStderr, boolean compileErrorInRun, boolean completionMarkerSeen) {
        /** A compile phase has none of these: its verdict rests on the exit status and the limits. */
        public static final RunSignals COMPILE_PHASE = new RunSignals(false, false, false);
    }

    public static final String NO_COMPLETION_MARKER = "exited before the tests finished (no completion marker)";

    private static final int SIGKILL = 9;
    private static final int SIGXCPU = 24;
    private static final int SANDBOX_LAUNCH_FAILED = 125;
    private static final List<String> MEMORY_MESSAGES = List.of("std::bad_alloc", "MemoryError", "java.lang.OutOfMemoryError",
            "JavaScript heap out of memory", "runtime: out of memory", "memory allocation of", "Cannot allocate memory");

    private VerdictMapper() {}

    public static Verdict map(Phase phase, ProcessOutcome o, RunSignals signals, long outputLimit, long wallSeconds) {
        String where = phase == Phase.COMPILE ? "compile" : "run";
        if (!o.launched()) {
            return new Verdict(SandboxVerdict.SANDBOX_ERROR, o.launchError());
        }
        if (o.outputLimitHit()) {
            return new Verdict(SandboxVerdict.OUTPUT_LIMIT, "more than " + outputLimit + " bytes of output in " + where + " phase; killed");
        }
        if (o.timedOut()) {
            return new Verdict(SandboxVerdict.TIMEOUT, "wall clock " + wallSeconds + " s exceeded in " + where + " phase; process tree killed"
                    + (o.processLimitHit() ? " (the process limit was reached too: fork bomb contained)" : "")
                    + (o.oomKilled() ? " (the memory limit was reached too)" : ""));
        }
        if (o.exitCode() == 128 + SIGXCPU) {
            return new Verdict(SandboxVerdict.TIMEOUT, "CPU time limit (RLIMIT_CPU) exceeded in " + where + " phase");
        }
        if (o.oomKilled()) {
            return new Verdict(SandboxVerdict.MEMORY_LIMIT, "memory limit reached in " + where + " phase (cgroup OOM kill)");
        }
        if (o.exitCode() == SANDBOX_LAUNCH_FAILED && o.stderr().startsWith("mole-sandbox:")
                || o.exitCode() == 1 && o.stderr().startsWith("bwrap:")) {
            return new Verdict(SandboxVerdict.SANDBOX_ERROR, "sandbox launch failed: " + CompileCaches.firstLine(o.stderr()));
        }
        if (o.exitCode() != 0 && MEMORY_MESSAGES.stream().anyMatch(o.stderr()::contains)) {
            return new Verdict(SandboxVerdict.MEMORY_LIMIT, "out of memory in " + where + " phase (runtime reported it)");
        }
        if (phase == Phase.COMPILE && o.exitCode() != 0 || signals.compileErrorInRun()) {
            return new Verdict(SandboxVerdict.COMPILE_ERROR, "compiler rejected the program (exit code " + o.exitCode() + ")");
        }
        if (o.exitCode() == 128 + SIGKILL && o.processLimitHit()) {
            return new Verdict(SandboxVerdict.FAIL, "killed (SIGKILL) after reaching the process limit");
        }
        if (o.exitCode() != 0) {
            String why = o.exitCode() > 128 ? "killed by signal " + (o.exitCode() - 128) : "exit code " + o.exitCode();
            return new Verdict(SandboxVerdict.FAIL, why + (o.processLimitHit() ? " (process limit was reached)" : ""));
        }
        if (signals.failsOnStderr() && !o.stderr().isBlank()) {
            return new Verdict(SandboxVerdict.FAIL, "exit code 0 but output on stderr (failed console.assert)");
        }
        if (phase == Phase.RUN && !signals.completionMarkerSeen()) {
            return new Verdict(SandboxVerdict.FAIL, NO_COMPLETION_MARKER);
        }
        return new Verdict(SandboxVerdict.PASS, phase == Phase.COMPILE ? "compiled" : "tests passed");
    }
}
