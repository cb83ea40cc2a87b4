package dev.mole.sandbox.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One command to run inside the sandbox.
 *
 * @param addressSpaceLimitOk whether RLIMIT_AS may stand in for a memory cgroup (false for runtimes that reserve large
 *     virtual ranges up front: the JVM, V8, Go)
 */
public record SandboxStep(List<String> argv, Map<String, String> env, List<Mount> mounts, String chdir,
                          Duration wallClock, boolean addressSpaceLimitOk) {
    public SandboxStep {
        argv = List.copyOf(argv);
        env = Map.copyOf(env);
        mounts = List.copyOf(mounts);
    }
}
