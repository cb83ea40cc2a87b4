package dev.mole.sandbox.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one launcher command line (cgroup placement + rlimits + uid switch + bubblewrap) with a wall clock and an output
 * budget, and kills the whole tree when either is exceeded. Stdin is empty.
 */
public final class ProcessRunner {

    public ProcessOutcome run(List<String> command, RunCgroup cgroup, Duration wallClock, long maxOutputBytes, int keptBytes) {
        long start = System.nanoTime();
        Process process;
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            // The launcher chain must not carry the worker's environment (credentials!): bubblewrap's init process
            // inside the sandbox keeps the environment it was started with, and the program can read /proc/1/environ.
            pb.environment().clear();
            pb.environment().put("PATH", "/usr/bin:/bin");
            process = pb.start();
        } catch (IOException e) {
            return new ProcessOutcome(-1, false, false, false, false, "", "", 0, Duration.ZERO,
                    "cannot start " + command.get(0) + ": " + e.getMessage());
        }
        AtomicBoolean outputExceeded = new AtomicBoolean();
        AtomicLong total = new AtomicLong();
        Runnable killOnOutput = () -> {
            outputExceeded.set(true);
            killTree(process, cgroup);
        };
        BoundedCapture out = new BoundedCapture(process.getInputStream(), total, maxOutputBytes, keptBytes, killOnOutput);
        BoundedCapture err = new BoundedCapture(process.getErrorStream(), total, maxOutputBytes, keptBytes, killOnOutput);
        Thread outReader = Thread.ofVirtual().start(out);
        Thread errReader = Thread.ofVirtual().start(err);
        boolean timedOut = false;
        int exit;
        try {
            if (!process.waitFor(wallClock.toMillis(), TimeUnit.MILLISECONDS)) {
                timedOut = !outputExceeded.get();
                killTree(process, cgroup);
                process.waitFor();
            }
            exit = process.exitValue();
            // Normal exit: bubblewrap's pid-1 takes the namespace down with it; the sweep covers anything that escaped it.
            cgroup.killAll();
            outReader.join(Duration.ofSeconds(5));
            errReader.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            killTree(process, cgroup);
            Thread.currentThread().interrupt();
            exit = -1;
        } finally {
            closeQuietly(process);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        boolean killedByUs = timedOut || outputExceeded.get();
        return new ProcessOutcome(killedByUs ? -1 : exit, timedOut, outputExceeded.get(), cgroup.oomKilled(),
                cgroup.processLimitHit(), out.text(), err.text(), total.get(), elapsed, null);
    }

    /** Descendants are listed before the root dies (they would be re-parented and lost), then everything is killed. */
    static void killTree(Process process, RunCgroup cgroup) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        cgroup.killAll();
    }

    private static void closeQuietly(Process p) {
        try {
            p.getInputStream().close();
            p.getErrorStream().close();
            p.getOutputStream().close();
        } catch (IOException ignored) {
            // nothing to do: the process is gone
        }
    }
}
