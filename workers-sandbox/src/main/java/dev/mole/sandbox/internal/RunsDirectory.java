package dev.mole.sandbox.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.stream.Stream;

/**
 * One sandbox's run directories: {@code runs/<token>/<run>}, both names random. A program sees the host path of its
 * own run directory (bind mounts show their source in /proc/self/mountinfo, and bubblewrap's arguments in
 * /proc/1/cmdline), so the path carries nothing about the host: not the worker's pid, not how many programs ran before.
 *
 * <p>Liveness is a lock instead of a pid: {@code runs/<token>.lock} stays locked while the sandbox is open, the kernel
 * drops the lock when the process dies, and a sandbox that starts deletes every run tree whose lock it can take.
 * {@code runs/.lock} serialises that sweep with creating a tree, so a new tree is never swept before it is locked.
 */
public final class RunsDirectory implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String LOCK_SUFFIX = ".lock";

    private final Path dir;
    private final Path lockFile;
    private final FileChannel lockChannel;

    private RunsDirectory(Path dir, Path lockFile, FileChannel lockChannel) {
        this.dir = dir;
        this.lockFile = lockFile;
        this.lockChannel = lockChannel;
    }

    /** Sweeps the trees of sandboxes that died, then makes this one's. {@code runs} must exist. */
    public static RunsDirectory open(Path runs) throws IOException {
        try (FileChannel global = FileChannel.open(runs.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = global.lock()) {
            sweepStale(runs);
            String token = randomName();
            Path lockFile = runs.resolve(token + LOCK_SUFFIX);
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            channel.lock();
            Path dir = runs.resolve(token);
            Files.createDirectory(dir);
            HostFiles.chmod(dir, "rwx--x--x");
            return new RunsDirectory(dir, lockFile, channel);
        }
    }

    /** A fresh run name (also the stem of the run's cgroups): 64 random bits. */
    public String newRunName() {
        return randomName();
    }

    public Path resolve(String runName) {
        return dir.resolve(runName);
    }

    @Override
    public void close() {
        HostFiles.deleteTree(dir);
        try {
            Files.deleteIfExists(lockFile);
            lockChannel.close();
        } catch (IOException ignored) {
            // the next sandbox's sweep removes what is left
        }
    }

    private static String randomName() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /**
     * Trees whose lock is free (their sandbox died), trees without a lock (never those of a live sandbox: its tree is
     * made after its lock, under the global lock, and deleted before it), and run directories of the older
     * {@code <pid>-<slot>-<n>} layout whose process is gone. Held locks of this JVM's other open sandboxes throw
     * OverlappingFileLockException: alive.
     */
    private static void sweepStale(Path runs) throws IOException {
        try (Stream<Path> s = Files.list(runs)) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                if (name.equals(".lock") || name.endsWith(LOCK_SUFFIX)) {
                    continue;
                }
                Path lock = runs.resolve(name + LOCK_SUFFIX);
                boolean stale = Files.exists(lock) ? lockIsFree(lock) : !isOldLayoutOfLiveProcess(name);
                if (stale) {
                    HostFiles.deleteTree(p);
                    Files.deleteIfExists(lock);
                }
            }
        }
        try (Stream<Path> s = Files.list(runs)) { // locks left without a tree
            for (Path lock : s.filter(p -> p.getFileName().toString().endsWith(LOCK_SUFFIX)
                    && !p.getFileName().toString().equals(".lock")).toList()) {
                String tree = lock.getFileName().toString();
                if (!Files.exists(runs.resolve(tree.substring(0, tree.length() - LOCK_SUFFIX.length()))) && lockIsFree(lock)) {
                    Files.deleteIfExists(lock);
                }
            }
        }
    }

    /** {@code <pid>-<slot>-<n>}, made by a worker of an earlier version, which may still be running. */
    private static boolean isOldLayoutOfLiveProcess(String name) {
        int dash = name.indexOf('-');
        try {
            return ProcessHandle.of(Long.parseLong(dash < 0 ? name : name.substring(0, dash))).isPresent();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean lockIsFree(Path lock) {
        try (FileChannel c = FileChannel.open(lock, StandardOpenOption.WRITE)) {
            FileLock l = c.tryLock();
            if (l == null) {
                return false;
            }
            l.release();
            return true;
        } catch (OverlappingFileLockException e) {
            return false;
        } catch (IOException e) {
            return false; // gone meanwhile, or not ours to judge
        }
    }
}
