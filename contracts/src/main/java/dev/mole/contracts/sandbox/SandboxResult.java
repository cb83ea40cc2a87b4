package dev.mole.contracts.sandbox;

/**
 * Result of one {@link SandboxProgram}. One line of a results object.
 *
 * @param reason one line saying why, e.g. "exit code 1", "wall clock 15 s exceeded in run phase"
 * @param exitCode the last phase's exit code, -1 when it was killed or never started
 * @param stdout trimmed (head and tail kept, middle elided)
 * @param stderr trimmed likewise
 * @param compileMillis wall time of the compile phase (0 for languages without one)
 * @param runMillis wall time of the run phase
 */
public record SandboxResult(
        String id, String language, String taskId, SandboxVerdict verdict, String reason, int exitCode,
        String stdout, String stderr, long compileMillis, long runMillis) {

    public boolean passed() {
        return verdict == SandboxVerdict.PASS;
    }
}
