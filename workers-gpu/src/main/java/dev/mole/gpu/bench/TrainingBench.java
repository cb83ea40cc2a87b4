package dev.mole.gpu.bench;

import ai.djl.engine.Engine;
import dev.mole.contracts.training.TrainingHyperParameters;
import dev.mole.gpu.model.CodeSpan;
import dev.mole.gpu.model.CuratedRecord;
import dev.mole.gpu.model.Language;
import dev.mole.gpu.model.LlamaModel;
import dev.mole.gpu.model.ModelOptions;
import dev.mole.gpu.model.MoleAdapters;
import dev.mole.gpu.model.MoleConfig;
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
 * Training throughput and peak memory of MoLE-48+16 vs AllLang-FT (one rank-64 LoRA: equal total rank) on the same model
 * and data, in ONE run, rounds alternating A/B so a shared machine's noise hits both alike. Tokens/s counts every token of
 * every trained sequence (forward + backward + AdamW), after warm-up steps; peak memory is the process's peak RSS (VmHWM,
 * reset through /proc/self/clear_refs before each measured method) and the steady RSS after the run.
 *
 * <p>{@code memory} as first argument runs the long native-memory check instead: a tiny MoLE model for {@code --steps}
 * optimiser steps, printing RSS and the model manager's live array count every {@code --every} steps.
 *
 * <p>Arguments: {@code --hidden 384 --intermediate 1024 --layers 4 --heads 6 --batch 8 --steps 12 --warmup 3 --rounds 2
 * --records 256 --naive --threads N}.
 */
public final class TrainingBench {

    private TrainingBench() {}

    public static void main(String[] args) throws Exception {
        String threads = str(args, "--threads", null);
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
        System.out.printf(Locale.ROOT, "TrainingBench: engine PyTorch %s, %d CPU(s) visible, torch threads %s%n",
                Engine.getEngine("PyTorch").getVersion(), Runtime.getRuntime().availableProcessors(), threads == null ? "default" : threads);
        Path dir = Files.createTempDirectory("mole-train-bench");
        TinyCheckpointFactory.write(dir, TinyCheckpointFactory.Options.defaults().withSize(hidden, layers, inter).withHeads(heads, heads / 3 > 0 ? heads / 3 : heads));
        List<TrainingRecord> data = records(records, 17L);
        System.out.printf(Locale.ROOT, "model: hidden %d, intermediate %d, layers %d, heads %d; %d records, batch %d, %d timed steps after %d warm-up, %d rounds%n",
                hidden, inter, layers, heads, records, batch, steps, warmup, rounds);

        List<String> names = new ArrayList<>(List.of("MoLE-48+16", "AllLang-FT r64"));
        List<MoleConfig> cfgs = new ArrayList<>(List.of(MoleConfig.mole(48, 16), MoleConfig.single(64)));
        List<RoutingMode> modes = new ArrayList<>(List.of(RoutingMode.GROUPED, RoutingMode.GROUPED));
        if (naive) {
            names.add("MoLE-48+16 naive routing");
            cfgs.add(MoleConfig.mole(48, 16));
            modes.add(RoutingMode.NAIVE);
        }
        double[][] tps = new double[names.size()][rounds];
        long[] peak = new long[names.size()];
        long[] steady = new long[names.size()];
        double[] meanLen = new double[1];
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < names.size(); i++) {
                long[] mem = new long[2];
                tps[i][r] = measure(dir, cfgs.get(i), modes.get(i), data, batch, steps, warmup, mem, meanLen);
                peak[i] = Math.max(peak[i], mem[0]);
                steady[i] = Math.max(steady[i], mem[1]);
                System.out.printf(Locale.ROOT, "  round %d %-26s %8.1f tokens/s  peak RSS %6.1f MiB%n", r + 1, names.get(i), tps[i][r], mem[0] / 1048576.0);
            }
        }
        System.out.printf(Locale.ROOT, "mean trained sequence length %.1f tokens%n", meanLen[0]);
        System.out.println("method                       tokens/s (best of rounds)   peak RSS MiB");
        double[] best = new double[names.size()];
        for (int i = 0; i < names.size(); i++) {
            best[i] = Arrays.stream(tps[i]).max().orElse(0);
            System.out.printf(Locale.ROOT, "%-28s %12.1f %24.1f%n", names.get(i), best[i], peak[i] / 1048576.0);
        }
        System.out.printf(Locale.ROOT, "MoLE-48+16 / AllLang-FT throughput ratio: %.3f (goal >= 0.85); peak memory ratio %.3f%n",
                best[0] / best[1], (double) peak[0] / peak[1]);
    }

    /** Trains {@code warmup + steps} optimiser steps; returns tokens/s over the timed steps; mem = {peak RSS, RSS after}. */
    static double measure(Path dir, MoleConfig cfg, RoutingMode mode, List<TrainingRecord> data, int batch, int steps, int warmup,
                          long[] mem, double[] meanLen) throws IOException {
        System.gc();
        resetPeak();
        try (LlamaModel m = LlamaModel.load(dir, ModelOptions.defaults().withRouting(mode))) {
            MoleAdapters.install(m, cfg, SvdMethod.RANDOMIZED);
            List<TrainingExample> ex = FineTuner.tokenize(m, data, 2048);
            meanLen[0] = ex.stream().mapToInt(x -> x.sample().length()).average().orElse(0);
            var hp = new TrainingHyperParameters(1e-4, 0.9, 0.95, 1e-6, 0, 0.05, 0.1, batch, 1000, 2048, 0, 0, warmup + steps, "fp32");
            long[] at = new long[2];
            // count tokens exactly from the data order instead of the listener's running average
            TokenClock clock = new TokenClock(ex, hp.effectiveBatch(), 1L);
            TrainingLoop timed = new TrainingLoop(m, AdapterParameters.of(m), hp, 1L, ex, List.of(), null, p -> {
                if (p.phase().endsWith(":done")) return;
                if (p.step() == warmup) at[0] = System.nanoTime();
                if (p.step() == warmup + steps) at[1] = System.nanoTime();
            }, "bench");
            timed.run();
            mem[0] = status("VmHWM");
            mem[1] = status("VmRSS");
            long tokens = clock.tokens(warmup, warmup + steps);
            return tokens / ((at[1] - at[0]) / 1e9);
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
            var hp = new TrainingHyperParameters(1e-4, 0.9, 0.95, 1e-6, 0, 0.05, 0.1, 4, 100000, 512, 0, 0, steps, "fp32");
            long t0 = System.nanoTime();
            System.out.printf(Locale.ROOT, "memory run: tiny MoLE-48+16 (hidden 64, 2 layers), batch 4, %d steps%n", steps);
            System.out.printf(Locale.ROOT, "%7s %10s %10s %12s %9s %9s%n", "step", "RSS MiB", "heap MiB", "live arrays", "loss", "s");
            new TrainingLoop(m, AdapterParameters.of(m), hp, 1L, ex, List.of(), null, p -> {
                if (p.phase().endsWith(":done")) return;
                if (p.step() == 1 || p.step() % every == 0) {
                    Runtime rt = Runtime.getRuntime();
                    System.out.printf(Locale.ROOT, "%7d %10.1f %10.1f %12d %9.4f %9.1f%n", p.step(), status("VmRSS") / 1048576.0,
                            (rt.totalMemory() - rt.freeMemory()) / 1048576.0, m.manager().getManagedArrays().size(), p.loss(),
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
                int start = a.length();
                a.append("```").append(l.tag()).append("\n");
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
