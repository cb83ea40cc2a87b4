package dev.mole.sandbox.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Small helpers for reading and writing cgroup files, and for the mount table. */
final class CgroupFiles {
    private CgroupFiles() {}

    static boolean write(Path file, String value) {
        try {
            Files.writeString(file, value, StandardCharsets.US_ASCII);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return "";
        }
    }

    /** The number after {@code key} in a "key value" per line file (memory.oom_control, memory.events, pids.events). */
    static long counter(Path file, String key) {
        for (String line : read(file).split("\n")) {
            String[] kv = line.trim().split("\\s+");
            if (kv.length == 2 && kv[0].equals(key)) {
                try {
                    return Long.parseLong(kv[1]);
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    static List<Long> pids(Path procsFile) {
        List<Long> pids = new ArrayList<>();
        for (String line : read(procsFile).split("\n")) {
            if (!line.isBlank()) {
                pids.add(Long.parseLong(line.trim()));
            }
        }
        return pids;
    }

    /** Kills every pid listed until the file is empty (new forks can appear while we kill; pids.max bounds them). */
    static void killAll(Path procsFile) {
        for (int round = 0; round < 200; round++) {
            List<Long> pids = pids(procsFile);
            if (pids.isEmpty()) {
                return;
            }
            pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            try {
                Thread.sleep(round < 10 ? 2 : 20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** rmdir, retried briefly: a killed process leaves the cgroup a moment after SIGKILL. */
    static void remove(Path dir) {
        for (int i = 0; i < 100 && Files.exists(dir); i++) {
            try {
                Files.deleteIfExists(dir);
                return;
            } catch (IOException e) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * Run cgroups are named {@code <worker pid>-...}: those of workers that died mid-run are emptied and removed, so a
     * crashed worker's stragglers cannot linger.
     */
    static void sweepStale(Path parent) {
        try (var children = java.nio.file.Files.list(parent)) {
            children.filter(java.nio.file.Files::isDirectory).forEach(dir -> {
                String name = dir.getFileName().toString();
                int dash = name.indexOf('-');
                try {
                    long pid = Long.parseLong(dash < 0 ? name : name.substring(0, dash));
                    if (ProcessHandle.of(pid).isEmpty()) {
                        killAll(dir.resolve("cgroup.procs"));
                        remove(dir);
                    }
                } catch (NumberFormatException ignored) {
                    // not a run cgroup of ours
                }
            });
        } catch (IOException ignored) {
            // nothing to sweep
        }
    }

    /** A mount of the given type from /proc/self/mountinfo: mount point, root within the hierarchy, super options. */
    record Mount(Path mountPoint, String root, String superOptions) {}

    static List<Mount> mounts(String fsType) {
        List<Mount> out = new ArrayList<>();
        for (String line : read(Path.of("/proc/self/mountinfo")).split("\n")) {
            int sep = line.indexOf(" - ");
            if (sep < 0) {
                continue;
            }
            String[] left = line.substring(0, sep).split(" ");
            String[] right = line.substring(sep + 3).split(" ");
            if (right.length >= 3 && right[0].equals(fsType) && left.length >= 5) {
                out.add(new Mount(Path.of(unescape(left[4])), unescape(left[3]), right[2]));
            }
        }
        return out;
    }

    /** This process's cgroup path for a v1 controller (or "" key for v2's "0::/path" line). */
    static Optional<String> ownPath(String controller) {
        for (String line : read(Path.of("/proc/self/cgroup")).split("\n")) {
            String[] parts = line.split(":", 3);
            if (parts.length != 3) {
                continue;
            }
            boolean match = controller.isEmpty()
                    ? parts[0].equals("0") && parts[1].isEmpty()
                    : List.of(parts[1].split(",")).contains(controller);
            if (match) {
                return Optional.of(parts[2]);
            }
        }
        return Optional.empty();
    }

    /** Where this process's cgroup directory is, given a mount whose root is a prefix of our path. */
    static Optional<Path> ownDirectory(Mount mount, String ownPath) {
        String root = mount.root().equals("/") ? "" : mount.root();
        if (!ownPath.startsWith(root)) {
            return Optional.empty();
        }
        String rel = ownPath.substring(root.length()).replaceFirst("^/+", "");
        return Optional.of(rel.isEmpty() ? mount.mountPoint() : mount.mountPoint().resolve(rel));
    }

    private static String unescape(String s) {
        return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }
}
