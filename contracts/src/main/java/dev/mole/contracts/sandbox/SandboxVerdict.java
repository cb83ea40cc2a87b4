package dev.mole.contracts.sandbox;

/** Outcome of one program. Only {@link #PASS} counts as solved. */
public enum SandboxVerdict {
    /** Compiled, ran to completion, tests passed. */
    PASS,
    /** Ran to completion but a test failed (non-zero exit, or for JavaScript any stderr output). */
    FAIL,
    /** The compiler (or Java's source launcher) rejected the program. */
    COMPILE_ERROR,
    /** Wall-clock or CPU-time limit reached; the whole process tree was killed. */
    TIMEOUT,
    /** Memory limit reached (cgroup OOM kill or the runtime's own out-of-memory error). */
    MEMORY_LIMIT,
    /** Wrote more than the allowed bytes to stdout + stderr; killed. */
    OUTPUT_LIMIT,
    /** The sandbox itself failed (launcher error, missing toolchain): says nothing about the program. */
    SANDBOX_ERROR
}
