package dev.mole.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mole.gpu.model.TinyCheckpointFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a person uses it: {@code up}, {@code status}, a second {@code up}, {@code down}, a port clash. */
@Tag("sandbox")
@Tag("stack")
class MoleLauncherTest {
    @TempDir
    Path home;

    @Test
    void upStatusDownAndTheClearMessagesAroundThem() throws Exception {
        Map<String, String> env = env(home.resolve("a"));
        Process up = launcher(env, "up").start();
        List<String> upOutput = new ArrayList<>();
        CompletableFuture<Void> upReader = readLines(up, upOutput);
        try {
            waitForLine(upOutput, "MoLE platform is up.", 180);
            String console = "http://127.0.0.1:" + env.get("MOLE_CONSOLE_PORT");
            HttpResponse<String> datasets = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(console + "/api/datasets")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(datasets.statusCode()).isEqualTo(200);

            Path input = home.resolve("rows.jsonl");
            new dev.mole.orchestrator.curation.GlaiveLikeGenerator(3L).write(input, 500);
            Result curated = run(env, "curate", input.toString(), "--name", "cli");
            assertThat(curated.code).as(curated.out).isZero();
            assertThat(curated.out).contains("Curation started: curation-").contains("500 input rows ->")
                    .as("a file outside the platform's input roots travels through the object store")
                    .contains("Curation input " + home + " in s3://");
            Result missing = run(env, "curate", home.resolve("nope.jsonl").toString());
            assertThat(missing.code).isEqualTo(1);
            assertThat(missing.out).contains("failed: input file not found");

            finetunesTheCuratedDatasetFromALocalBaseFolder(env, curated.out);
            evaluatesAnOracleAndALocalBaseAndRefusesMistakes(env);

            Result status = run(env, "status");
            assertThat(status.code).isZero();
            assertThat(status.out).contains("running (pid " + up.pid() + ")");

            Result second = run(env, "up");
            assertThat(second.code).isEqualTo(2);
            assertThat(second.out).contains("already runs from this home").contains("./mole down");

            Result down = run(env, "down");
            assertThat(down.code).isZero();
            assertThat(down.out).contains("Stopped.");
            assertThat(up.waitFor(60, TimeUnit.SECONDS)).isTrue();
            upReader.join();
            assertThat(String.join("\n", upOutput)).contains("Stopped.");
            assertThat(Files.exists(home.resolve("a/mole.pid"))).isFalse();
            // Every embedded service let go of its port: the same ports can be bound again.
            for (String port : List.of("MOLE_POSTGRES_PORT", "MOLE_S3_PORT", "MOLE_TEMPORAL_PORT", "MOLE_CONSOLE_PORT")) {
                try (ServerSocket s = new ServerSocket(Integer.parseInt(env.get(port)), 1,
                        InetAddress.getByName("127.0.0.1"))) {
                    assertThat(s.isBound()).isTrue();
                }
            }
            assertThat(run(env, "status").out).contains("not running");
        } finally {
            up.destroyForcibly();
        }
    }

    @Test
    void aTakenPortIsOneSentenceAndLeavesNothingRunning() throws Exception {
        Map<String, String> env = env(home.resolve("b"));
        try (ServerSocket taken = new ServerSocket(Integer.parseInt(env.get("MOLE_CONSOLE_PORT")), 1,
                InetAddress.getByName("127.0.0.1"))) {
            Result r = run(env, "up");
            assertThat(r.code).isEqualTo(2);
            assertThat(r.out).contains("mole: Port " + taken.getLocalPort() + " on 127.0.0.1 is already in use")
                    .contains("MOLE_CONSOLE_PORT").doesNotContain("Exception").doesNotContain("\tat ");
        }
        assertThat(Files.exists(home.resolve("b/mole.pid"))).isFalse();
        assertThat(Files.exists(home.resolve("b/postgres/data/postmaster.pid"))).isFalse();
    }

    @Test
    void curateWithoutARunningPlatformSaysHowToStartOne() throws Exception {
        Map<String, String> env = env(home.resolve("c"));
        Result r = run(env, "curate", "nothing.jsonl");
        assertThat(r.code).isEqualTo(2);
        assertThat(r.out).startsWith("mole: no platform runs from " + home.resolve("c")).contains("./mole up")
                .doesNotContain("Exception");
        Result f = run(env, "finetune", "--dataset", "abc", "--base", "s3://mole/models/base");
        assertThat(f.code).isEqualTo(2);
        assertThat(f.out).startsWith("mole: no platform runs from " + home.resolve("c")).contains("./mole up")
                .doesNotContain("Exception");
    }

    /**
     * {@code finetune} on the running platform: a local base folder is uploaded, the real GPU-queue worker of
     * {@code mole up} trains two seeds on the CPU, and the summary is printed; mistakes are one sentence, exit 2.
     */
    private void finetunesTheCuratedDatasetFromALocalBaseFolder(Map<String, String> env, String curateOutput)
            throws Exception {
        Matcher id = Pattern.compile("Dataset ([0-9a-f]{16,})").matcher(curateOutput);
        assertThat(id.find()).as(curateOutput).isTrue();
        String prefix = id.group(1).substring(0, 12);
        Path tiny = TinyCheckpointFactory.write(home.resolve("tiny"), TinyCheckpointFactory.Options.defaults());
        String[] small = {"--seeds", "1,2", "--max-steps", "2", "--batch", "4", "--max-length", "256", "--epochs", "1",
                "--lr", "0.003"};

        Result refused = run(env, concat(new String[] {"finetune", "--dataset", prefix, "--base", tiny.toString(),
                "--variant", "64"}, small));
        assertThat(refused.code).as(refused.out).isEqualTo(2);
        assertThat(refused.out).contains("mole: variant of MOLE must be shared+expert ranks")
                .doesNotContain("Base checkpoint").doesNotContain("Finetune started").doesNotContain("\tat ");
        Result unknown = run(env, "finetune", "--dataset", "f".repeat(64), "--base", tiny.toString());
        assertThat(unknown.code).as(unknown.out).isEqualTo(2);
        assertThat(unknown.out).contains("mole: no dataset " + "f".repeat(64)).doesNotContain("Finetune started");

        Result tuned = run(env, concat(new String[] {"finetune", "--dataset", prefix, "--base", tiny.toString(),
                "--name", "cli finetune"}, small));
        assertThat(tuned.code).as(tuned.out).isZero();
        assertThat(tuned.out).containsPattern("Base checkpoint .* in s3://mole/models/tiny-[0-9a-f]{16} \\((\\d+) of \\1 files")
                .contains("Finetune started: finetune-", "(cli finetune, seeds [1, 2])", "seed 1 finished: 2 steps",
                        "seed 2 finished: 2 steps", "completed, 2 seed(s)", "validation loss, mean ± std over seeds")
                .containsPattern("all +\\d+\\.\\d{4} ± \\d+\\.\\d{4} \\(n=2\\)");
    }

    private void evaluatesAnOracleAndALocalBaseAndRefusesMistakes(Map<String, String> env) throws Exception {
        Result oracle = run(env, "evaluate", "--oracle", "canonical", "--tasks", "synthesis", "--languages", "python,js",
                "--limit", "2");
        assertThat(oracle.code).as(oracle.out).isZero();
        assertThat(oracle.out).contains("Pass@1 (%)").containsPattern("synthesis auto +- +- +- +100\\.00 +100\\.00");
        Result json = run(env, "evaluate", "--oracle", "canonical", "--tasks", "synthesis", "--languages", "python,js",
                "--limit", "2", "--json");
        assertThat(json.code).as(json.out).isZero();
        String last = json.out.strip().lines().reduce((a, b) -> b).orElseThrow();
        var summary = new com.fasterxml.jackson.databind.ObjectMapper().readTree(last);
        assertThat(summary.get("reused").asBoolean()).as("the same evaluation again is reused").isTrue();
        assertThat(summary.get("scores")).hasSize(2);

        Path tiny = home.resolve("tiny");
        Result base = run(env, "evaluate", "--base-only", "--base", tiny.toString(), "--tasks", "synthesis", "--languages",
                "python", "--limit", "1", "--max-new-tokens", "8");
        assertThat(base.code).as(base.out).isZero();
        assertThat(base.out).contains("Base checkpoint").contains("synthesis auto");

        Result cobol = run(env, "evaluate", "--oracle", "canonical", "--languages", "cobol");
        assertThat(cobol.code).isEqualTo(2);
        assertThat(cobol.out).contains("mole: --languages: unknown language 'cobol'").doesNotContain("\tat ");
        Result two = run(env, "evaluate", "--oracle", "canonical", "--base-only", "--base", tiny.toString());
        assertThat(two.code).isEqualTo(2);
        assertThat(two.out).contains("exactly one of");
        Result wrongBase = run(env, "evaluate", "--base-only", "--base", "s3://mole/models/none");
        assertThat(wrongBase.code).isEqualTo(2);
        assertThat(wrongBase.out).contains("no base model at s3://mole/models/none");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static Map<String, String> env(Path home) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("MOLE_HOME", home.toString());
        for (String port : List.of("MOLE_POSTGRES_PORT", "MOLE_S3_PORT", "MOLE_TEMPORAL_PORT", "MOLE_CONSOLE_PORT")) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                env.put(port, Integer.toString(s.getLocalPort()));
            }
        }
        return env;
    }

    private static ProcessBuilder launcher(Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m", "-cp", System.getProperty("java.class.path"), MoleLauncher.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        return pb;
    }

    private record Result(int code, String out) {}

    private static Result run(Map<String, String> env, String... args) throws Exception {
        Process p = launcher(env, args).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    private static CompletableFuture<Void> readLines(Process p, List<String> sink) {
        return CompletableFuture.runAsync(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (sink) {
                        sink.add(line);
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
    }

    private static void waitForLine(List<String> lines, String wanted, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            synchronized (lines) {
                if (lines.contains(wanted)) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        synchronized (lines) {
            throw new AssertionError("no '" + wanted + "' within " + seconds + " s; output:\n" + String.join("\n", lines));
        }
    }
}
