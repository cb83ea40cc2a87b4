package dev.mole.gpu.bench;

import ai.djl.engine.Engine;
import dev.mole.contracts.training.TrainingHyperParameters;
import dev.mole.gpu.model.CodeSpan;
import dev.mole.gpu.model.CuratedRecord;
import dev.mole.contracts.language.Language;
import dev.mole.gpu.model.LlamaModel;
import dev.mole.gpu.model.ModelOptions;
import dev.mole.gpu.model.MoleAdapters;
import dev.mole.gpu.model.MoleConfig;
import dev.mole.gpu.model.MultiplMoe;
import dev.mole.contracts.training.MoeSettings;
import ai.djl.ndarray.NDArray;
import java.util.Map;
import dev.mole.gpu.model.RoutingMode;
import dev.mole.gpu.model.SvdMethod;
import dev.mole.gpu.model.TinyCheckpointFactory;
import dev.mole.gpu.training.AdapterParameters;
import dev.mole.gpu.training.FineTuner;
import dev.mole.gpu.training.TrainingExample;
import dev.mole.gpu.training.TrainingLoop;
import dev.mole.gpu.training.TrainingRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Training throughput, peak memory, validation loss after the same steps and trainable values of MoLE-48+16 vs AllLang-FT (one rank-64 LoRA: equal total rank) on the same model
 * and data, in ONE run, rounds alternating A/B so a shared machine's noise hits both alike. Tokens/s counts every token of
 * every trained sequence (forward + backward + AdamW), after warm-up steps; peak memory is the process's peak RSS (VmHWM,
 * reset through /proc/self/clear_refs before each measured method) and its growth over the RSS held before the method loaded its model.
 * Beside wall-clock tokens/s it reports tokens per CPU-second of the training thread: with {@code --threads 1} libtorch
 * runs every op on that thread, so this figure moves less when other work shares the cores (wall time moves a lot), and
 * each round's own MoLE/AllLang ratio with their median (the pair of a round ran back to back, under the most similar load).
 *
 * <p>{@code memory} as first argument runs the long native-memory check instead: a tiny MoLE model for {@code --steps}
 * optimiser steps, printing RSS, the committed Java heap (part of RSS: run it with a fixed heap, e.g. -Xms256m -Xmx256m,
 * so RSS growth is native) and the model manager's live array count every {@code --every} steps.
 *
 * <p>Arguments: {@code --hidden 384 --intermediate 1024 --layers 4 --heads 6 --batch 8 --steps 12 --warmup 3 --rounds 2
 * --records 256 --budget N (padded tokens per forward pass; 0 = one sequence per pass; default: FineTuner's for the
 * device) --naive --moe (adds MultiPL-MoE with full and with low-rank experts, docs/multipl-moe.md) --moe-rank 22
 * --threads N --precision fp32|fp16} ({@code memory} takes {@code --precision} too). fp16 is for GPUs and
 * CPUs with fast fp16 matmuls; on a CPU without them (no avx512_fp16/AMX) it is many times slower than fp32.
 */
public final class TrainingBench {

    private TrainingBench() {}

    public static void main(String[] args) throws Exception {
        // DJL logs at debug level without a logging config: keep the bench output readable
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        String threads = str(args, "--threads", null);
        precision = str(args, "--precision", "fp32");
        if (threads != null) {
            System.setProperty("ai.djl.pytorch.num_threads", threads);
            System.setProperty("ai.djl.pytorch.num_interop_threads", threads);
        }
        if (args.length > 0 && args[0].equals("memory")) {
            memory(args);
            return;
        }
        int hidden = num(args, "--hidden", 384), inter = num(args, "--intermediate", 1024), layers = num(args, "--layers", 4);
        int heads = num(args, "--heads", 6), batch = num(args, "--batch", 8), steps = num(args, "--steps", 12);
        int warmup = num(args, "--warmup", 3), rounds = num(args, "--rounds", 2), records = num(args, "--records", 256);
        boolean naive = Arrays.asList(args).contains("--naive");
        boolean moe = Arrays.asList(args).contains("--moe");
        int moeRank = num(args, "--moe-rank", 22);
        budget = num(args, "--budget", -1);
        String childArg = str(args, "--child", null);
        List<TrainingRecord> data = records(records, 17L);
        if (childArg == null) {
            System.out.printf(Locale.ROOT, "TrainingBench: engine PyTorch %s, %d CPU(s) visible, torch threads %s; each measurement in its own JVM%n",
                    Engine.getEngine("PyTorch").getVersion(), Runtime.getRuntime().availableProcessors(), threads == null ? "default" : threads);
        }
        Path dir = childArg != null ? Path.of(str(args, "--dir", null)) : Files.createTempDirectory("mole-train-bench");
        if (childArg == null) {
            TinyCheckpointFactory.write(dir, TinyCheckpointFactory.Options.defaults().withSize(hidden, layers, inter)
                    .withHeads(heads, heads / 3 > 0 ? heads / 3 : heads));
        }
        if (childArg == null) System.out.printf(Locale.ROOT, "model: hidden %d, intermediate %d, layers %d, heads %d; %d records, batch %d, %d timed steps after %d warm-up, %d rounds, padded tokens per forward %d (-1: FineTuner's default for the device), %s%n",
                hidden, inter, layers, heads, records, batch, steps, warmup, rounds, budget, precision);

        List<String> names = new ArrayList<>(List.of("MoLE-48+16", "AllLang-FT r64"));
        List<MoleConfig> cfgs = new ArrayList<>(List.of(MoleConfig.mole(48, 16), MoleConfig.single(64)));
        List<RoutingMode> modes = new ArrayList<>(List.of(RoutingMode.GROUPED, RoutingMode.GROUPED));
        List<MoeSettings> moes = new ArrayList<>(Arrays.asList(null, null));
        if (naive) {
            names.add("MoLE-48+16 naive routing");
            cfgs.add(MoleConfig.mole(48, 16));
            modes.add(RoutingMode.NAIVE);
            moes.add(null);
        }
        if (moe) {
            // the paper's full expert copies, and low-rank experts sized near MoLE-48+16's trainable parameters
            names.add("MultiPL-MoE full experts");
            names.add("MultiPL-MoE low-rank r" + moeRank);
            cfgs.add(null);
            cfgs.add(null);
            modes.add(RoutingMode.GROUPED);
            modes.add(RoutingMode.GROUPED);
            moes.add(MoeSettings.paper());
            moes.add(MoeSettings.lowRank(moeRank));
        }
        if (childArg != null) {
            // one measurement in a fresh process, so its peak RSS is its own
            int i = Integer.parseInt(childArg);
            long[] mem = new long[2];
            double[] meanLen = new double[1];
            double[] t = measure(dir, cfgs.get(i), moes.get(i), modes.get(i), data, records(32, 23L), batch, steps, warmup, mem, meanLen);
            System.out.printf(Locale.ROOT, "RESULT %f %d %d %f %f %f %d%n", t[0], mem[0], mem[1], meanLen[0], t[1], t[2], (long) t[3]);
            return;
        }
        double[][] tps = new double[names.size()][rounds];
        double[][] cps = new double[names.size()][rounds];
        long[] peak = new long[names.size()];
        long[] growth = new long[names.size()];
        double[] meanLen = new double[1];
        double[] val = new double[names.size()];
        long[] trainable = new long[names.size()];
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < names.size(); i++) {
                long[] mem = new long[2];
                double[] t = child(args, dir, i, mem, meanLen);
                tps[i][r] = t[0];
                cps[i][r] = t[1];
                val[i] = t[2]; // the same steps on the same data order every round: the same value
                trainable[i] = (long) t[3];
                peak[i] = Math.max(peak[i], mem[0]);
                growth[i] = Math.max(growth[i], mem[1]);
                System.out.printf(Locale.ROOT, "  round %d %-26s %8.1f tokens/s  %8.1f tokens/CPU-s  peak RSS %6.1f MiB (+%.1f MiB over the RSS before loading)%n",
                        r + 1, names.get(i), tps[i][r], cps[i][r], mem[0] / 1048576.0, mem[1] / 1048576.0);
            }
        }
        System.out.printf(Locale.ROOT, "mean trained sequence length %.1f tokens%n", meanLen[0]);
        System.out.println("method                       tokens/s (best of rounds)   tokens/CPU-s (best)   peak RSS MiB   peak growth MiB");
        double[] best = new double[names.size()], bestCpu = new double[names.size()];
        for (int i = 0; i < names.size(); i++) {
            best[i] = Arrays.stream(tps[i]).max().orElse(0);
            bestCpu[i] = Arrays.stream(cps[i]).max().orElse(0);
            System.out.printf(Locale.ROOT, "%-28s %12.1f %24.1f %17.1f %17.1f%n", names.get(i), best[i], bestCpu[i], peak[i] / 1048576.0, growth[i] / 1048576.0);
        }
        System.out.printf(Locale.ROOT, "after %d optimiser steps (warm-up included), validation loss on %d held-out records; trainable values:%n",
                warmup + steps, 32);
        for (int i = 0; i < names.size(); i++) System.out.printf(Locale.ROOT, "  %-28s val %.4f   trainable %,d%n", names.get(i), val[i], trainable[i]);
        for (int i = 2; i < names.size(); i++) {
            System.out.printf(Locale.ROOT, "%s / MoLE-48+16: throughput %.3f, per CPU-second %.3f, peak RSS %.3f, trainable %.3f%n", names.get(i),
                    best[i] / best[0], bestCpu[i] / bestCpu[0], (double) peak[i] / peak[0], (double) trainable[i] / trainable[0]);
        }
        System.out.printf(Locale.ROOT, "MoLE-48+16 / AllLang-FT throughput ratio: %.3f (goal >= 0.85); per CPU-second %.3f; peak RSS ratio %.3f; peak growth ratio %.3f%n",
                best[0] / best[1], bestCpu[0] / bestCpu[1], (double) peak[0] / peak[1], (double) growth[0] / growth[1]);
        // each round runs the two back to back, so a round's own ratio compares them under the most similar load
        double[] paired = new double[rounds], pairedCpu = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            paired[r] = tps[0][r] / tps[1][r];
            pairedCpu[r] = cps[0][r] / cps[1][r];
        }
        System.out.printf(Locale.ROOT, "per-round ratios (wall): %s, median %.3f; per CPU-second: %s, median %.3f%n",
                list(paired), median(paired), list(pairedCpu), median(pairedCpu));
    }

    static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static String list(double[] a) {
        StringBuilder b = new StringBuilder();
        for (double x : a) b.append(b.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.3f", x));
        return b.toString();
    }

    /** Runs one measurement in a child JVM with this JVM's flags and class path; parses its RESULT line: {tokens/s, tokens/CPU-s}. */
    static double[] child(String[] args, Path dir, int index, long[] mem, double[] meanLen) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(TrainingBench.class.getName());
        cmd.addAll(Arrays.asList(args));
        cmd.addAll(List.of("--child", Integer.toString(index), "--dir", dir.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String result = null;
        StringBuilder log = new StringBuilder();
        try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("RESULT ")) result = line;
                else log.append(line).append('\n');
            }
        }
        if (p.waitFor() != 0 || result == null) throw new IllegalStateException("benchmark child failed:\n" + log);
        String[] f = result.split(" ");
        mem[0] = Long.parseLong(f[2]);
        mem[1] = Long.parseLong(f[3]);
        meanLen[0] = Double.parseDouble(f[4]);
        return new double[] {Double.parseDouble(f[1]), Double.parseDouble(f[5]), Double.parseDouble(f[6]), Double.parseDouble(f[7])};
    }

    /**
     * Trains {@code warmup + steps} optimiser steps; returns {tokens/s, tokens per CPU-second of the training thread} over
     * the timed steps; mem = {peak RSS, RSS after}.
     */
    static int budget = -1; // -1: what FineTuner would use on the model's device
    static String precision = "fp32";

    static double[] measure(Path dir, MoleConfig cfg, MoeSettings moe, RoutingMode mode, List<TrainingRecord> data,
                            List<TrainingRecord> validation, int batch, int steps, int warmup, long[] mem, double[] meanLen) throws IOException {
        System.gc();
        resetPeak();
        long before = status("VmRSS");
        try (LlamaModel m = LlamaModel.load(dir, ModelOptions.defaults().withRouting(mode))) {
            Map<String, NDArray> params;
            if (moe != null) {
                MultiplMoe.upcycle(m, moe, 1L);
                params = MultiplMoe.trainable(m);
            } else {
                MoleAdapters.install(m, cfg, SvdMethod.RANDOMIZED);
                params = AdapterParameters.of(m);
            }
            long count = 0;
            for (NDArray a : params.values()) count += a.size();
            List<TrainingExample> ex = FineTuner.tokenize(m, data, 2048);
            meanLen[0] = ex.stream().mapToInt(x -> x.sample().length()).average().orElse(0);
            var hp = new TrainingHyperParameters(1e-4, 0.9, 0.95, 1e-6, 0, 0.05, 0.1, batch, 1000, 2048, 0, 0, warmup + steps, precision);
            long[] at = new long[2], cpuAt = new long[2];
            var threads = java.lang.management.ManagementFactory.getThreadMXBean();
            // count tokens exactly from the data order instead of the listener's running average
            TokenClock clock = new TokenClock(ex, hp.effectiveBatch(), 1L);
            TrainingLoop timed = new TrainingLoop(m, params, hp, 1L, ex, List.of(), null, p -> {
                if (p.phase().endsWith(":done")) return;
                if (p.step() == warmup) {
                    at[0] = System.nanoTime();
                    cpuAt[0] = threads.getCurrentThreadCpuTime();
                }
                if (p.step() == warmup + steps) {
                    at[1] = System.nanoTime();
                    cpuAt[1] = threads.getCurrentThreadCpuTime();
                }
            }, "bench").withTokenBudget(budget < 0 ? FineTuner.tokenBudget(m) : budget);
            timed.run();
            mem[0] = status("VmHWM");
            mem[1] = status("VmHWM") - before; // what this method added on top of what the process already held
            long tokens = clock.tokens(warmup, warmup + steps);
            // after the timing: validation is not part of the throughput
            double val = TrainingLoop.evaluate(m, FineTuner.tokenize(m, validation, 2048)).get("all");
            return new double[] {tokens / ((at[1] - at[0]) / 1e9), tokens / ((cpuAt[1] - cpuAt[0]) / 1e9), val, count};
        }
    }

    /** Tokens in optimiser steps [from, to) of the loop's data order (epoch permutations are the loop's own). */
    record TokenClock(List<TrainingExample> ex, int batch, long seed) {
        long tokens(int from, int to) {
            long stepsPerEpoch = (ex.size() + batch - 1) / batch;
            long n = 0;
            for (int s = from; s < to; s++) {
                int[] order = TrainingLoop.permutation(ex.size(), seed, s / stepsPerEpoch);
                int b = (int) (s % stepsPerEpoch);
                for (int i = b * batch; i < Math.min(ex.size(), (b + 1) * batch); i++) n += ex.get(order[i]).sample().length() - 1;
            }
            return n;
        }
    }

    static void memory(String[] args) throws IOException {
        int steps = num(args, "--steps", 2000), every = num(args, "--every", 200);
        Path dir = Files.createTempDirectory("mole-train-mem");
        TinyCheckpointFactory.write(dir, TinyCheckpointFactory.Options.defaults());
        List<TrainingRecord> data = records(64, 3L);
        try (LlamaModel m = LlamaModel.load(dir)) {
            MoleAdapters.install(m, MoleConfig.mole(48, 16));
            List<TrainingExample> ex = FineTuner.tokenize(m, data, 512);
            var hp = new TrainingHyperParameters(1e-4, 0.9, 0.95, 1e-6, 0, 0.05, 0.1, 4, 100000, 512, 0, 0, steps, precision);
            long t0 = System.nanoTime();
            System.out.printf(Locale.ROOT, "memory run: tiny MoLE-48+16 (hidden 64, 2 layers), batch 4, %d steps, %s%n", steps, precision);
            System.out.printf(Locale.ROOT, "%7s %10s %19s %12s %9s %9s%n", "step", "RSS MiB", "heap committed MiB", "live arrays", "loss", "s");
            new TrainingLoop(m, AdapterParameters.of(m), hp, 1L, ex, List.of(), null, p -> {
                if (p.phase().endsWith(":done")) return;
                if (p.step() == 1 || p.step() % every == 0) {
                    Runtime rt = Runtime.getRuntime();
                    System.out.printf(Locale.ROOT, "%7d %10.1f %19.1f %12d %9.4f %9.1f%n", p.step(), status("VmRSS") / 1048576.0,
                            rt.totalMemory() / 1048576.0, m.manager().getManagedArrays().size(), p.loss(),
                            (System.nanoTime() - t0) / 1e9);
                }
            }, "mem").run();
            System.out.printf(Locale.ROOT, "%.1f s, peak RSS %.1f MiB%n", (System.nanoTime() - t0) / 1e9, status("VmHWM") / 1048576.0);
        }
    }

    /** Synthetic curated records over the eight languages: prose, one or two fenced blocks each of several lines. */
    static List<TrainingRecord> records(int n, long seed) {
        String[] words = {" the", " a", " of", " in", " is", " code", " function", " value", " list", " sum", " add", " return"};
        String[] lines = {"    return x + n;\n", "    let value = x;\n", "    int i = n;\n", "    print(list)\n", "    sum = sum + i;\n",
                "    for i in list {\n", "    }\n", "    const x = main();\n", "    if x {\n", "    else {\n"};
        SplittableRandom r = new SplittableRandom(seed);
        List<TrainingRecord> out = new ArrayList<>();
        Language[] langs = Language.values();
        for (int id = 0; id < n; id++) {
            Language l = langs[id % langs.length];
            StringBuilder q = new StringBuilder("Write a function");
            for (int i = 0, k = 10 + r.nextInt(30); i < k; i++) q.append(words[r.nextInt(words.length)]);
            StringBuilder a = new StringBuilder("Here is the code:");
            List<CodeSpan> spans = new ArrayList<>();
            for (int b = 0, blocks = 1 + r.nextInt(2); b < blocks; b++) {
                for (int i = 0, k = 5 + r.nextInt(20); i < k; i++) a.append(words[r.nextInt(words.length)]);
                a.append("\n");
                a.append("```").append(l.id());
                int start = a.length(); // code labels begin after the tag, as curation stores spans
                a.append("\n");
                for (int i = 0, k = 6 + r.nextInt(20); i < k; i++) a.append(lines[r.nextInt(lines.length)]);
                a.append("```");
                spans.add(new CodeSpan("answer", start, a.length(), l));
                a.append("\n");
            }
            out.add(new TrainingRecord(id, l, new CuratedRecord(q.toString(), a.toString(), spans)));
        }
        return out;
    }

    static void resetPeak() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5"); // resets VmHWM to the current RSS (Linux >= 4.0)
        } catch (IOException | RuntimeException e) {
            System.out.println("(cannot reset peak RSS: " + e.getMessage() + ")");
        }
    }

    static long status(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key + ":")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    static int num(String[] a, String k, int d) {
        String v = str(a, k, null);
        return v == null ? d : Integer.parseInt(v);
    }

    static String str(String[] a, String k, String d) {
        for (int i = 0; i + 1 < a.length; i++) if (a[i].equals(k)) return a[i + 1];
        return d;
    }
}
