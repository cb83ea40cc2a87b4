package dev.mole.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Test helper: live host processes whose real uid is one of the sandbox slots' uids (there should be none between runs).
 * Zombies are not counted: bubblewrap's outer process exits as soon as its pid-1 reports the exit status, so that pid-1
 * is re-parented to the machine's init as a zombie until init reaps it (this machine's init reaps lazily). A zombie
 * runs nothing and holds no memory or files.
 */
final class SandboxProcesses {
    private SandboxProcesses() {}

    static List<Long> ownedBySlots(SandboxConfig config) {
        int first = config.firstUid();
        int last = first + config.parallelism() - 1;
        return ProcessHandle.allProcesses().map(ProcessHandle::pid).filter(pid -> {
            int uid = realUid(pid);
            return uid >= first && uid <= last && !isZombie(pid);
        }).toList();
    }

    private static boolean isZombie(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                    .anyMatch(l -> l.startsWith("State:") && l.contains("Z"));
        } catch (IOException | RuntimeException e) {
            return true; // gone
        }
    }

    private static int realUid(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("Uid:")) {
                    return Integer.parseInt(line.split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // process gone meanwhile
        }
        return -1;
    }

    /** Waits up to two seconds for stragglers to be reaped (SIGKILL delivery is asynchronous). */
    static List<Long> awaitNoneOwnedBySlots(SandboxConfig config) throws InterruptedException {
        List<Long> left = ownedBySlots(config);
        for (int i = 0; i < 40 && !left.isEmpty(); i++) {
            Thread.sleep(50);
            left = ownedBySlots(config);
        }
        return left;
    }
}
