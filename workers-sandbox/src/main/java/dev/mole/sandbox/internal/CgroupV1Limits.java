package dev.mole.sandbox.internal;

import dev.mole.sandbox.SandboxPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * cgroup v1: one directory per run in each of the memory, pids and cpu hierarchies, nested under this worker's own
 * cgroup (so the container's limits still hold above ours).
 */
final class CgroupV1Limits implements CgroupLimits {
    private static final List<String> WANTED = List.of("memory", "pids", "cpu");
    private final Map<String, Path> parents; // controller -> .../mole-sandbox

    private CgroupV1Limits(Map<String, Path> parents) {
        this.parents = parents;
    }

    static CgroupV1Limits tryCreate() {
        Map<String, Path> parents = new LinkedHashMap<>();
        List<CgroupFiles.Mount> mounts = CgroupFiles.mounts("cgroup");
        if (mounts.isEmpty()) {
            return null;
        }
        for (String controller : WANTED) {
            for (CgroupFiles.Mount m : mounts) {
                if (!List.of(m.superOptions().split(",")).contains(controller)) {
                    continue;
                }
                CgroupFiles.ownPath(controller)
                        .flatMap(own -> CgroupFiles.ownDirectory(m, own))
                        .map(dir -> dir.resolve("mole-sandbox"))
                        .filter(CgroupV1Limits::usable)
                        .ifPresent(dir -> parents.put(controller, dir));
            }
        }
        parents.values().forEach(CgroupFiles::sweepStale);
        return new CgroupV1Limits(parents);
    }

    /** Usable when we can create the parent and a child in it (a read-only cgroupfs fails here, not mid-run). */
    private static boolean usable(Path parent) {
        try {
            Files.createDirectories(parent);
            Path probe = parent.resolve("probe-" + ProcessHandle.current().pid());
            Files.createDirectories(probe);
            boolean ok = Files.isRegularFile(probe.resolve("cgroup.procs"));
            CgroupFiles.remove(probe);
            return ok;
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public String describe() {
        return "cgroup v1: " + String.join(", ", parents.keySet()) + " (per run, under " + parents.values() + ")";
    }

    @Override
    public Set<String> controllers() {
        return parents.keySet();
    }

    @Override
    public RunCgroup create(String name, SandboxPolicy policy) {
        Map<String, Path> dirs = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Path> e : parents.entrySet()) {
                Path dir = e.getValue().resolve(name);
                Files.createDirectories(dir);
                dirs.put(e.getKey(), dir);
            }
        } catch (Exception e) {
            dirs.values().forEach(CgroupFiles::remove);
            throw new IllegalStateException("cannot create cgroup " + name + ": " + e.getMessage(), e);
        }
        Path memory = dirs.get("memory");
        if (memory != null) {
            String bytes = Long.toString(policy.memoryBytes());
            require(CgroupFiles.write(memory.resolve("memory.limit_in_bytes"), bytes), memory, "memory.limit_in_bytes");
            // No swapping past the limit where swap accounting exists; absent file means no swap accounting.
            Path memsw = memory.resolve("memory.memsw.limit_in_bytes");
            if (Files.exists(memsw)) {
                CgroupFiles.write(memsw, bytes);
            }
        }
        Path pids = dirs.get("pids");
        if (pids != null) {
            require(CgroupFiles.write(pids.resolve("pids.max"), Integer.toString(policy.maxProcesses())), pids, "pids.max");
        }
        Path cpu = dirs.get("cpu");
        if (cpu != null) {
            CgroupFiles.write(cpu.resolve("cpu.cfs_period_us"), "100000");
            require(CgroupFiles.write(cpu.resolve("cpu.cfs_quota_us"), Long.toString(Math.round(policy.cpuCores() * 100000))),
                    cpu, "cpu.cfs_quota_us");
        }
        return new V1Run(dirs);
    }

    private static void require(boolean ok, Path dir, String file) {
        if (!ok) {
            throw new IllegalStateException("cannot set " + file + " in " + dir);
        }
    }

    private record V1Run(Map<String, Path> dirs) implements RunCgroup {
        @Override
        public List<Path> procsFiles() {
            List<Path> files = new ArrayList<>();
            dirs.values().forEach(d -> files.add(d.resolve("cgroup.procs")));
            return files;
        }

        @Override
        public boolean oomKilled() {
            Path memory = dirs.get("memory");
            return memory != null && CgroupFiles.counter(memory.resolve("memory.oom_control"), "oom_kill") > 0;
        }

        @Override
        public boolean processLimitHit() {
            Path pids = dirs.get("pids");
            return pids != null && CgroupFiles.counter(pids.resolve("pids.events"), "max") > 0;
        }

        @Override
        public void killAll() {
            // The pids hierarchy sees every task; the others are swept too in case pids is not in force.
            dirs.values().forEach(d -> CgroupFiles.killAll(d.resolve("cgroup.procs")));
        }

        @Override
        public void close() {
            killAll();
            dirs.values().forEach(CgroupFiles::remove);
        }
    }
}
