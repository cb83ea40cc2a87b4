package dev.mole.sandbox.internal;

import dev.mole.sandbox.SandboxPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * cgroup v2 (production machines): one directory per run under {@code <own cgroup>/mole-sandbox}, which needs the
 * controllers delegated to us (systemd {@code Delegate=yes}, or a container that owns its cgroup namespace). Not
 * exercised on the development machine, where v2 has no controllers; detection then falls through to v1.
 */
final class CgroupV2Limits implements CgroupLimits {
    private final Path parent;
    private final Set<String> controllers;

    private CgroupV2Limits(Path parent, Set<String> controllers) {
        this.parent = parent;
        this.controllers = controllers;
    }

    static CgroupV2Limits tryCreate() {
        for (CgroupFiles.Mount m : CgroupFiles.mounts("cgroup2")) {
            var own = CgroupFiles.ownPath("").flatMap(p -> CgroupFiles.ownDirectory(m, p));
            if (own.isEmpty()) {
                continue;
            }
            Path ownDir = own.get();
            Set<String> available = new LinkedHashSet<>(List.of(CgroupFiles.read(ownDir.resolve("cgroup.controllers")).trim().split("\\s+")));
            available.retainAll(Set.of("memory", "pids", "cpu"));
            if (available.isEmpty()) {
                continue;
            }
            Path parent = ownDir.resolve("mole-sandbox");
            try {
                Files.createDirectories(parent);
            } catch (Exception e) {
                continue;
            }
            // Delegation: enabling controllers for children fails (EBUSY) if our own cgroup still holds processes
            // and is not the root; then this worker should be started in a leaf of a delegated subtree.
            Set<String> enabled = new LinkedHashSet<>();
            for (String c : available) {
                if (CgroupFiles.write(ownDir.resolve("cgroup.subtree_control"), "+" + c)
                        && CgroupFiles.write(parent.resolve("cgroup.subtree_control"), "+" + c)) {
                    enabled.add(c);
                }
            }
            CgroupFiles.sweepStale(parent);
            return new CgroupV2Limits(parent, enabled);
        }
        return null;
    }

    @Override
    public String describe() {
        return "cgroup v2: " + String.join(", ", controllers) + " (per run, under " + parent + ")";
    }

    @Override
    public Set<String> controllers() {
        return controllers;
    }

    @Override
    public RunCgroup create(String name, SandboxPolicy policy) {
        Path dir = parent.resolve(name);
        try {
            Files.createDirectories(dir);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create cgroup " + dir + ": " + e.getMessage(), e);
        }
        if (controllers.contains("memory")) {
            CgroupFiles.write(dir.resolve("memory.max"), Long.toString(policy.memoryBytes()));
            CgroupFiles.write(dir.resolve("memory.swap.max"), "0");
        }
        if (controllers.contains("pids")) {
            CgroupFiles.write(dir.resolve("pids.max"), Integer.toString(policy.maxProcesses()));
        }
        if (controllers.contains("cpu")) {
            CgroupFiles.write(dir.resolve("cpu.max"), Math.round(policy.cpuCores() * 100000) + " 100000");
        }
        return new V2Run(dir);
    }

    private record V2Run(Path dir) implements RunCgroup {
        @Override
        public List<Path> procsFiles() {
            return List.of(dir.resolve("cgroup.procs"));
        }

        @Override
        public boolean oomKilled() {
            return CgroupFiles.counter(dir.resolve("memory.events"), "oom_kill") > 0;
        }

        @Override
        public boolean processLimitHit() {
            return CgroupFiles.counter(dir.resolve("pids.events"), "max") > 0;
        }

        @Override
        public void killAll() {
            // cgroup.kill (5.14+) kills atomically, racing forks included; the loop covers older kernels.
            CgroupFiles.write(dir.resolve("cgroup.kill"), "1");
            CgroupFiles.killAll(dir.resolve("cgroup.procs"));
        }

        @Override
        public void close() {
            killAll();
            CgroupFiles.remove(dir);
        }
    }
}
