package dev.mole.sandbox.internal;

import dev.mole.sandbox.SandboxPolicy;
import java.util.Set;

/** Per-run cgroups: memory (OOM kill), pids (fork bombs) and cpu (bandwidth), whichever this machine lets us use. */
public interface CgroupLimits {

    /** One line for the start-up report, e.g. "cgroup v1: memory, pids, cpu under /sys/fs/cgroup/...". */
    String describe();

    /** Controllers in force: a subset of {@code memory, pids, cpu}. */
    Set<String> controllers();

    RunCgroup create(String name, SandboxPolicy policy);

    /** v2 when the unified hierarchy has controllers we can delegate, else v1 when its hierarchies are writable, else none. */
    static CgroupLimits detect() {
        CgroupLimits v2 = CgroupV2Limits.tryCreate();
        if (v2 != null && !v2.controllers().isEmpty()) {
            return v2;
        }
        CgroupLimits v1 = CgroupV1Limits.tryCreate();
        if (v1 != null && !v1.controllers().isEmpty()) {
            return v1;
        }
        return new NoCgroupLimits(v2 == null && v1 == null
                ? "no cgroup hierarchy found"
                : "cgroup hierarchies present but not writable by this worker");
    }
}
