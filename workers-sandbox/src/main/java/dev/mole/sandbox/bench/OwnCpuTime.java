package dev.mole.sandbox.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * CPU time of the bench JVM and of everything it starts (sandboxes, compilers, the javac servers), counted by a cgroup
 * v1 cpuacct group of its own. On a shared machine the programs/s figure says as much about the neighbours as about
 * the runner; this one does not: CPU seconds per program are what the runner costs, and cores / that is the rate the
 * machine would reach doing nothing else. Sandbox runs join their own memory, pids and cpu groups, which are other
 * hierarchies, so they stay counted here. Absent (null) without a writable cpuacct hierarchy of its own (cgroup v2, or
 * cpuacct mounted together with cpu).
 */
final class OwnCpuTime implements AutoCloseable {
    private final Path group;
    private final Path previous;

    private OwnCpuTime(Path group, Path previous) {
        this.group = group;
        this.previous = previous;
    }

    static OwnCpuTime start() {
        try {
            Path root = Path.of("/sys/fs/cgroup/cpuacct");
            String own = ownPath();
            if (own == null || !Files.isRegularFile(root.resolve("cpuacct.usage"))) {
                return null;
            }
            Path previous = own.equals("/") ? root : root.resolve(own.substring(1));
            sweepStale(previous);
            Path group = previous.resolve("mole-bench-" + ProcessHandle.current().pid());
            Files.createDirectories(group);
            Files.writeString(group.resolve("cgroup.procs"), Long.toString(ProcessHandle.current().pid()));
            return new OwnCpuTime(group, previous);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    long nanos() {
        try {
            return Long.parseLong(Files.readString(group.resolve("cpuacct.usage")).trim());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        try {
            Files.writeString(previous.resolve("cgroup.procs"), Long.toString(ProcessHandle.current().pid()));
            Files.deleteIfExists(group);
        } catch (IOException | RuntimeException e) {
            // a later bench sweeps it
        }
    }

    /** This process's path in the cpuacct hierarchy (/proc/self/cgroup), or null. */
    private static String ownPath() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
            String[] parts = line.split(":", 3);
            List<String> controllers = List.of(parts.length == 3 ? parts[1].split(",") : new String[0]);
            if (controllers.contains("cpuacct")) {
                // Mounted with cpu (cpu,cpuacct): each run joins a cpu group of its own and would leave this one.
                return controllers.contains("cpu") ? null : parts[2];
            }
        }
        return null;
    }

    /** Groups of benches that died before {@link #close}. */
    private static void sweepStale(Path parent) throws IOException {
        try (Stream<Path> s = Files.list(parent)) {
            s.filter(p -> p.getFileName().toString().startsWith("mole-bench-")).forEach(p -> {
                try {
                    long pid = Long.parseLong(p.getFileName().toString().substring("mole-bench-".length()));
                    if (ProcessHandle.of(pid).isEmpty()) {
                        Files.deleteIfExists(p);
                    }
                } catch (NumberFormatException | IOException e) {
                    // not ours, or still in use
                }
            });
        }
    }
}
