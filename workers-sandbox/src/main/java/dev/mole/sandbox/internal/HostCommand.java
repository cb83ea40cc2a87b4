package dev.mole.sandbox.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a trusted command on the host (cache warm-up), with a clean environment and a time limit. */
public final class HostCommand {
    private HostCommand() {}

    public record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    public static Result run(List<String> command, Path dir, Map<String, String> env, long timeoutSeconds) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            StringBuilder out = new StringBuilder();
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException ignored) {
                    // process killed
                }
            });
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor();
                reader.join(2000);
                return new Result(-1, out + "\n[timed out after " + timeoutSeconds + " s]");
            }
            reader.join(5000);
            return new Result(p.exitValue(), out.toString());
        } catch (IOException e) {
            return new Result(-1, "cannot run " + command.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}
