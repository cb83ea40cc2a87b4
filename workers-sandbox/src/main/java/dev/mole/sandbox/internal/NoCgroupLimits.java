package dev.mole.sandbox.internal;

import dev.mole.sandbox.SandboxPolicy;
import java.util.Set;

/** Fallback: only rlimits hold (RLIMIT_AS stands in for memory, RLIMIT_NPROC per run uid for processes). */
final class NoCgroupLimits implements CgroupLimits {
    private final String why;

    NoCgroupLimits(String why) {
        this.why = why;
    }

    @Override
    public String describe() {
        return "no cgroups (" + why + "): memory by RLIMIT_AS where the runtime tolerates it, processes by RLIMIT_NPROC";
    }

    @Override
    public Set<String> controllers() {
        return Set.of();
    }

    @Override
    public RunCgroup create(String name, SandboxPolicy policy) {
        return RunCgroup.NONE;
    }
}
