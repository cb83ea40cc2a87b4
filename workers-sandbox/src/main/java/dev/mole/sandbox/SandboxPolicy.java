package dev.mole.sandbox;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits for one program. Compile and run phases each get their own wall clock; the other limits hold in both.
 *
 * @param compileWallClock wall clock for the compile phase (compilers under load on a shared 2-core machine are slow)
 * @param runWallClock wall clock for the run phase; at the limit the whole process tree is killed
 * @param cpuTime CPU seconds per process (RLIMIT_CPU); the cgroup also caps the run at {@code cpuCores} cores
 * @param cpuCores CPU bandwidth of one run (cgroup cpu quota), so one program cannot starve its neighbours
 * @param memoryBytes memory of the whole run (cgroup); RLIMIT_AS stands in where no memory cgroup is usable
 * @param maxProcesses processes and threads of the run (cgroup pids.max, and RLIMIT_NPROC on the run's own uid)
 * @param maxFileBytes largest file the program may write (RLIMIT_FSIZE)
 * @param maxOpenFiles open descriptors per process (RLIMIT_NOFILE)
 * @param maxOutputBytes stdout + stderr together; beyond it the run is killed with OUTPUT_LIMIT
 * @param scratchBytes size of the private writable /tmp (a tmpfs, so a disk-filling program hits ENOSPC)
 * @param networkAllowed false: a private network namespace with only its own loopback
 * @param keptOutputBytes how much of each stream a result keeps (head and tail)
 */
public record SandboxPolicy(
        Duration compileWallClock, Duration runWallClock, Duration cpuTime, double cpuCores, long memoryBytes,
        int maxProcesses, long maxFileBytes, int maxOpenFiles, long maxOutputBytes, long scratchBytes,
        boolean networkAllowed, int keptOutputBytes) {

    private static final long MIB = 1024L * 1024L;

    public SandboxPolicy {
        Objects.requireNonNull(compileWallClock, "compileWallClock");
        Objects.requireNonNull(runWallClock, "runWallClock");
        Objects.requireNonNull(cpuTime, "cpuTime");
        require(!compileWallClock.isNegative() && !compileWallClock.isZero(), "compileWallClock must be positive");
        require(!runWallClock.isNegative() && !runWallClock.isZero(), "runWallClock must be positive");
        require(cpuTime.toSeconds() >= 1, "cpuTime must be at least 1 s (RLIMIT_CPU counts whole seconds)");
        require(cpuCores > 0, "cpuCores must be positive");
        require(memoryBytes >= 32 * MIB, "memoryBytes must be at least 32 MiB");
        require(maxProcesses >= 4, "maxProcesses must be at least 4 (the sandbox itself needs two)");
        require(maxFileBytes >= 1024, "maxFileBytes must be at least 1 KiB");
        require(maxOpenFiles >= 16, "maxOpenFiles must be at least 16");
        require(maxOutputBytes >= 1024, "maxOutputBytes must be at least 1 KiB");
        require(scratchBytes >= MIB, "scratchBytes must be at least 1 MiB");
        require(keptOutputBytes >= 256, "keptOutputBytes must be at least 256");
    }

    /**
     * Defaults sized for HumanEvalPack on a loaded machine: the slowest canonical run is well under a second, compiles of
     * C++/Go/Rust under load take a few seconds, and a JVM compiling in memory needs a few hundred MiB.
     */
    public static SandboxPolicy defaults() {
        return new SandboxPolicy(Duration.ofSeconds(60), Duration.ofSeconds(20), Duration.ofSeconds(30), 1.0,
                1024 * MIB, 128, 64 * MIB, 256, MIB, 64 * MIB, false, 4096);
    }

    public SandboxPolicy withRunWallClock(Duration d) {
        return new SandboxPolicy(compileWallClock, d, cpuTime, cpuCores, memoryBytes, maxProcesses, maxFileBytes,
                maxOpenFiles, maxOutputBytes, scratchBytes, networkAllowed, keptOutputBytes);
    }

    public SandboxPolicy withCpuTime(Duration d) {
        return new SandboxPolicy(compileWallClock, runWallClock, d, cpuCores, memoryBytes, maxProcesses, maxFileBytes,
                maxOpenFiles, maxOutputBytes, scratchBytes, networkAllowed, keptOutputBytes);
    }

    public SandboxPolicy withMemoryBytes(long bytes) {
        return new SandboxPolicy(compileWallClock, runWallClock, cpuTime, cpuCores, bytes, maxProcesses, maxFileBytes,
                maxOpenFiles, maxOutputBytes, scratchBytes, networkAllowed, keptOutputBytes);
    }

    public SandboxPolicy withMaxProcesses(int n) {
        return new SandboxPolicy(compileWallClock, runWallClock, cpuTime, cpuCores, memoryBytes, n, maxFileBytes,
                maxOpenFiles, maxOutputBytes, scratchBytes, networkAllowed, keptOutputBytes);
    }

    public SandboxPolicy withMaxOutputBytes(long bytes) {
        return new SandboxPolicy(compileWallClock, runWallClock, cpuTime, cpuCores, memoryBytes, maxProcesses, maxFileBytes,
                maxOpenFiles, bytes, scratchBytes, networkAllowed, keptOutputBytes);
    }

    public SandboxPolicy withScratchBytes(long bytes) {
        return new SandboxPolicy(compileWallClock, runWallClock, cpuTime, cpuCores, memoryBytes, maxProcesses, maxFileBytes,
                maxOpenFiles, maxOutputBytes, bytes, networkAllowed, keptOutputBytes);
    }

    public SandboxPolicy withMaxFileBytes(long bytes) {
        return new SandboxPolicy(compileWallClock, runWallClock, cpuTime, cpuCores, memoryBytes, maxProcesses, bytes,
                maxOpenFiles, maxOutputBytes, scratchBytes, networkAllowed, keptOutputBytes);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("invalid sandbox policy: " + message);
        }
    }
}
