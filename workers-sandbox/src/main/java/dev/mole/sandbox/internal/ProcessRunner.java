package dev.mole.sandbox.internal;

import java.io.File;
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
            process = launcherProcess(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
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

    /**
     * The launcher chain's process: bubblewrap's init inside the sandbox is a fork of the bwrap process and shows the
     * environment bwrap was started with as {@code /proc/1/environ} (its own --clearenv does not change that memory),
     * so nothing of the worker may be in it: not its environment (credentials!), and not its working directory, which
     * the {@code sh} at the head of the chain would export as PWD. The chain starts in {@code /} with only PATH.
     */
    static ProcessBuilder launcherProcess(List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(new File("/"));
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/bin:/bin");
        return pb;
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
