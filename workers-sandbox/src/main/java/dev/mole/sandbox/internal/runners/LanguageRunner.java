package dev.mole.sandbox.internal.runners;

import dev.mole.contracts.language.Language;
import dev.mole.sandbox.SandboxPolicy;
import dev.mole.sandbox.internal.ProcessOutcome;
import dev.mole.sandbox.internal.SandboxStep;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** How one language compiles (optionally) and runs an assembled program inside the sandbox. */
public interface LanguageRunner {

    Language language();

    /** Host-side preparation of the run directory (e.g. Go's per-run build cache), before any step runs. */
    default void prepare(RunDirs dirs) throws IOException {}

    /** Empty (the default) for languages that compile and run in one process (Python, JavaScript, Java's source launcher). */
    default Optional<SandboxStep> compileStep(RunDirs dirs, SandboxPolicy policy) {
        return Optional.empty();
    }

    /**
     * A compile that needs no sandbox of its own (Java's warm compiler server), tried before {@link #compileStep}.
     * Present only when it judged the program as the step would have (compiled, or rejected by the compiler); empty
     * whenever a limit or a failure of its own is involved, and the step then runs and decides.
     */
    default Optional<ProcessOutcome> compileWithoutStep(RunDirs dirs) {
        return Optional.empty();
    }

    SandboxStep runStep(RunDirs dirs, SandboxPolicy policy);

    /** Host-side hook after the compile step (C++ publishes a newly built precompiled header). */
    default void afterCompile(RunDirs dirs, ProcessOutcome outcome) {}

    /** JavaScript's console.assert prints on stderr and exits 0: there, stderr output is a failure. */
    default boolean failsOnStderr() {
        return false;
    }

    /** For one-process languages: whether a failed run was the compiler rejecting the program. */
    default boolean isCompileErrorInRun(ProcessOutcome outcome) {
        return false;
    }

    /** A command whose first output line names the toolchain version, run inside the sandbox at start. */
    List<String> versionCommand();
}
