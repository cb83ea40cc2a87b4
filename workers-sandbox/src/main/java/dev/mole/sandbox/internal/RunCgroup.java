package dev.mole.sandbox.internal;

import java.nio.file.Path;
import java.util.List;

/** The cgroup(s) of one sandboxed phase: the launcher moves itself in before exec, so every descendant is counted. */
public interface RunCgroup extends AutoCloseable {

    /** {@code cgroup.procs} files the launcher writes its pid to (one per v1 hierarchy, one for v2, none without cgroups). */
    List<Path> procsFiles();

    /** True when the kernel OOM-killed a process of this run. */
    boolean oomKilled();

    /** True when a fork/clone failed because the process-count limit was reached. */
    boolean processLimitHit();

    /** Kills every process still in the cgroup (the wall-clock kill and the post-run sweep). */
    void killAll();

    /** Kills stragglers and removes the cgroup directories. */
    @Override
    void close();

    RunCgroup NONE = new RunCgroup() {
        @Override public List<Path> procsFiles() { return List.of(); }
        @Override public boolean oomKilled() { return false; }
        @Override public boolean processLimitHit() { return false; }
        @Override public void killAll() {}
        @Override public void close() {}
    };
}
