package dev.mole.sandbox.internal;

import dev.mole.contracts.sandbox.SandboxVerdict;
import java.util.List;

/**
 * From what a phase did to a verdict and a one-line reason. Limits come first (they explain any exit code that
 * follows from them), then launcher failures, then the program's own outcome. A program can make its verdict worse by
 * printing misleading text (e.g. an out-of-memory message), never turn a failure into PASS.
 */
public final class VerdictMapper {
    public enum Phase { COMPILE, RUN }

    public record Verdict(SandboxVerdict verdict, String reason) {}

    private static final int SIGKILL = 9;
    private static final int SIGXCPU = 24;
    private static final int SANDBOX_LAUNCH_FAILED = 125;
    private static final List<String> MEMORY_MESSAGES = List.of("std::bad_alloc", "MemoryError", "java.lang.OutOfMemoryError",
            "JavaScript heap out of memory", "runtime: out of memory", "memory allocation of", "Cannot allocate memory");

    private VerdictMapper() {}

    public static Verdict map(Phase phase, ProcessOutcome o, boolean failsOnStderr, boolean compileErrorInRun,
                              long outputLimit, long wallSeconds) {
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
        if (phase == Phase.COMPILE && o.exitCode() != 0 || compileErrorInRun) {
            return new Verdict(SandboxVerdict.COMPILE_ERROR, "compiler rejected the program (exit code " + o.exitCode() + ")");
        }
        if (o.exitCode() == 128 + SIGKILL && o.processLimitHit()) {
            return new Verdict(SandboxVerdict.FAIL, "killed (SIGKILL) after reaching the process limit");
        }
        if (o.exitCode() != 0) {
            String why = o.exitCode() > 128 ? "killed by signal " + (o.exitCode() - 128) : "exit code " + o.exitCode();
            return new Verdict(SandboxVerdict.FAIL, why + (o.processLimitHit() ? " (process limit was reached)" : ""));
        }
        if (failsOnStderr && !o.stderr().isBlank()) {
            return new Verdict(SandboxVerdict.FAIL, "exit code 0 but output on stderr (failed console.assert)");
        }
        return new Verdict(SandboxVerdict.PASS, phase == Phase.COMPILE ? "compiled" : "tests passed");
    }
}
