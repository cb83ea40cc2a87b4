package dev.mole.gpu.bench;

import ai.djl.engine.Engine;
import dev.mole.contracts.language.Language;
import dev.mole.gpu.model.BatchGenerator;
import dev.mole.gpu.model.Generation;
import dev.mole.gpu.model.GenerationRequest;
import dev.mole.gpu.model.Generator;
import dev.mole.gpu.model.LlamaModel;
import dev.mole.gpu.model.ModelOptions;
import dev.mole.gpu.model.MoleAdapters;
import dev.mole.gpu.model.MoleConfig;
import dev.mole.gpu.model.Route;
import dev.mole.gpu.model.RoutePolicy;
import dev.mole.gpu.model.SvdMethod;
import dev.mole.gpu.model.TinyCheckpointFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceLoader;
import java.util.SplittableRandom;

/**
 * Generation throughput, all figures from ONE run on one generated checkpoint: generated tokens/s of {@link BatchGenerator}
 * at several batch sizes, for MoLE-48+16 and the base model (requests mixing automated, manual and forced routing), and
 * their ratios to batch 1; the base model one sequence at a time by {@link BatchGenerator} and by the single-sequence
 * {@link Generator}; and every {@link GenerationPeer} on the classpath (Jlama, when run through
 * {@code ./mole bench generation}) on the same prompts, with how many of its sequences equal ours token for token.
 *
 * <p>Arguments (all optional): {@code --hidden 512 --layers 4 --intermediate 1376 --heads 8 --kv-heads 8 --prompt 128
 * --prompt-spread 50 --new 96 --new-spread 33 --requests 64 --single-requests 8 --batches 1,8,32 --rounds 2 --device cpu
 * --threads N}. Like HumanEvalPack prompts in the training template, prompt lengths vary (+-{@code --prompt-spread}% around
 * {@code --prompt}) and so do output lengths (each request makes exactly its own maxNewTokens, +-{@code --new-spread}%
 * around {@code --new}; no stop token), so rows finish at different steps and queued prompts join mid-run, as in an
 * evaluation chunk with more requests than rows. Tokens/s count generated tokens over wall time, prefills included (the
 * prompts that take free rows are prefilled together), and over the decoding steps only, in wall time and in
 * calling-thread CPU time ({@link BatchGenerator.Stats}); with {@code --threads 1} libtorch computes on the calling thread,
 * so CPU time is the compute itself and moves least with other load on shared cores. The load average is printed at the
 * start and the end.
 */
public final class GenerationBench {

    private GenerationBench() {}

    public static void main(String[] args) throws Exception {
        int hidden = ModelBench.intArg(args, "--hidden", 512), layers = ModelBench.intArg(args, "--layers", 4);
        int inter = ModelBench.intArg(args, "--intermediate", 1376);
        int heads = ModelBench.intArg(args, "--heads", 8), kvHeads = ModelBench.intArg(args, "--kv-heads", heads);
        int prompt = ModelBench.intArg(args, "--prompt", 128), gen = ModelBench.intArg(args, "--new", 96);
        int promptSpread = ModelBench.intArg(args, "--prompt-spread", 50), genSpread = ModelBench.intArg(args, "--new-spread", 33);
        int requests = ModelBench.intArg(args, "--requests", 64), singles = ModelBench.intArg(args, "--single-requests", 8);
        int[] batches = Arrays.stream(ModelBench.strArg(args, "--batches", "1,8,32").split(",")).mapToInt(Integer::parseInt).toArray();
        int rounds = ModelBench.intArg(args, "--rounds", 2);
        String device = ModelBench.strArg(args, "--device", "cpu");
        String threads = ModelBench.strArg(args, "--threads", null);
        if (threads != null) {
            // read by DJL's PyTorch engine when it starts: libtorch intra-op threads
            System.setProperty("ai.djl.pytorch.num_threads", threads);
            System.setProperty("ai.djl.pytorch.num_interop_threads", threads);
        }
        System.out.printf("GenerationBench: engine PyTorch %s, device %s, %d CPU(s) visible, torch threads %s; load average"
                        + " at start %s%n", Engine.getEngine("PyTorch").getVersion(), device, Runtime.getRuntime().availableProcessors(),
                threads == null ? "default" : threads, loadAverage());
        Path dir = Files.createTempDirectory("mole-genbench-ckpt");
        TinyCheckpointFactory.write(dir, TinyCheckpointFactory.Options.defaults().withSize(hidden, layers, inter).withHeads(heads, kvHeads));
        System.out.printf("synthetic LLaMA checkpoint: hidden %d, intermediate %d, layers %d, heads %d (kv %d); prompts %d+-%d%%"
                + " tokens, %d+-%d%% new tokens%n", hidden, inter, layers, heads, kvHeads, prompt, promptSpread, gen, genSpread);

        ModelOptions mo = ModelOptions.defaults().withDevice(device);
        List<GenerationRequest> all = requests(Math.max(requests, singles), prompt, promptSpread, gen, genSpread);
        List<GenerationRequest> few = all.subList(0, singles);
        try {
            run(dir, mo, all, few, requests, batches, rounds, inter, threads == null ? 0 : Integer.parseInt(threads));
            System.out.printf("load average at the end: %s%n", loadAverage());
        } finally {
            try (var files = Files.walk(dir)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    private static void run(Path dir, ModelOptions mo, List<GenerationRequest> all, List<GenerationRequest> few, int requests,
                            int[] batches, int rounds, int inter, int peerThreads) throws Exception {
        List<GenerationPeer> peers = new ArrayList<>();
        ServiceLoader.load(GenerationPeer.class).forEach(peers::add);
        try (LlamaModel mole = LlamaModel.load(dir, mo); LlamaModel base = LlamaModel.load(dir, mo)) {
            MoleAdapters.install(mole, MoleConfig.mole(48, 16), SvdMethod.RANDOMIZED);
            LlamaModel[] models = {mole, base};
            String[] names = {"MoLE 48+16", "base (no adapters)"};
            for (LlamaModel m : models) new BatchGenerator(m, 4, -1).generate(all.subList(0, 4)); // warm-up
            int n = batches.length * models.length;
            // per configuration and round: tokens/s end to end (wall), decoding only (wall), decoding only (thread CPU),
            // prefill ms per prompt (wall), end to end (thread CPU), prompts per prefill pass, Java-side row CPU us per
            // row-step
            double[][][] fig = new double[7][n][rounds];
            // one sequence at a time, tokens/s: wall and per process CPU-second, for Generator, then each peer
            double[][] single = new double[1 + peers.size()][rounds], singleCpu = new double[1 + peers.size()][rounds];
            double[][] batch1Cpu = new double[1][rounds];
            List<int[]> ours = new ArrayList<>();
            List<List<int[]>> theirs = new ArrayList<>();
            // rounds interleave every configuration, so drift in the machine's load hits each alike; medians are printed
            for (int round = 0; round < rounds; round++) {
                for (int i = 0; i < batches.length; i++) {
                    List<GenerationRequest> rs = batches[i] == 1 ? few : all.subList(0, requests);
                    for (int k = 0; k < models.length; k++) {
                        BatchGenerator g = new BatchGenerator(models[k], batches[i], -1);
                        long t0 = System.nanoTime(), c0 = GenerationPeer.processCpuNanos();
                        List<Generation> out = g.generate(rs);
                        double wall = (System.nanoTime() - t0) / 1e9, cpu = (GenerationPeer.processCpuNanos() - c0) / 1e9;
                        long tokens = out.stream().mapToLong(x -> x.tokens().length).sum();
                        long decoded = tokens - rs.size(); // each request's first token comes with its prefill
                        BatchGenerator.Stats st = g.stats();
                        int c = i * models.length + k;
                        fig[0][c][round] = tokens / wall;
                        fig[1][c][round] = decoded / (st.decodeNanos() / 1e9);
                        fig[2][c][round] = decoded / (st.decodeCpuNanos() / 1e9);
                        fig[3][c][round] = st.prefillNanos() / 1e6 / st.prefills();
                        fig[4][c][round] = tokens / ((st.decodeCpuNanos() + st.prefillCpuNanos()) / 1e9);
                        fig[5][c][round] = (double) st.prefills() / st.prefillPasses();
                        fig[6][c][round] = st.rowCpuNanos() / 1e3 / st.rowSteps();
                        if (k == 1 && batches[i] == 1) {
                            batch1Cpu[0][round] = tokens / cpu;
                            ours.clear();
                            out.forEach(x -> ours.add(x.tokens()));
                        }
                    }
                }
                Generator one = new Generator(base, -1);
                long t0 = System.nanoTime(), c0 = GenerationPeer.processCpuNanos();
                long tokens = few.stream().mapToLong(r -> one.generate(r, true, (a, b, c) -> {}).tokens().length).sum();
                single[0][round] = tokens / ((System.nanoTime() - t0) / 1e9);
                singleCpu[0][round] = tokens / ((GenerationPeer.processCpuNanos() - c0) / 1e9);
                theirs.clear();
                for (int p = 0; p < peers.size(); p++) {
                    GenerationPeer.Run run = peers.get(p).generate(dir, few.stream().map(GenerationRequest::promptIds).toList(),
                            few.stream().mapToInt(GenerationRequest::maxNewTokens).toArray(), peerThreads);
                    double tokens1 = run.tokens().stream().mapToInt(t -> t.length).sum();
                    single[1 + p][round] = tokens1 / run.seconds();
                    singleCpu[1 + p][round] = tokens1 / run.cpuSeconds();
                    theirs.add(run.tokens());
                }
            }

            System.out.println();
            System.out.printf("== BatchGenerator, generated tokens/s (median of %d round(s); batch 1: %d requests, else %d):%n", rounds,
                    few.size(), requests);
            System.out.println("   end to end (prefills included): wall | calling-thread CPU (the compute itself with --threads 1)"
                    + " || decoding only: wall | calling-thread CPU || prefill ms per prompt | prompts per prefill pass | Java"
                    + " row work, CPU us per row and step");
            for (int i = 0; i < batches.length; i++) {
                for (int k = 0; k < models.length; k++) {
                    int c = i * models.length + k;
                    System.out.printf("%-19s batch %3d: %8.1f | %8.1f || %8.1f | %8.1f || %6.1f | %5.1f | %5.1f%n", names[k],
                            batches[i], med(fig[0][c]), med(fig[4][c]), med(fig[1][c]), med(fig[2][c]), med(fig[3][c]),
                            med(fig[5][c]), med(fig[6][c]));
                }
            }
            int b1 = indexOf(batches, 1);
            for (int k = 0; k < models.length && b1 >= 0; k++) {
                for (int i = 0; i < batches.length; i++) {
                    if (i == b1) continue;
                    int c = i * models.length + k, c1 = b1 * models.length + k;
                    System.out.printf("%-19s ratio batch %d / batch 1: end to end %.2f (wall), %.2f (CPU); decoding only %.2f"
                            + " (wall), %.2f (CPU)%n", names[k], batches[i], med(fig[0][c]) / med(fig[0][c1]),
                            med(fig[4][c]) / med(fig[4][c1]), med(fig[1][c]) / med(fig[1][c1]), med(fig[2][c]) / med(fig[2][c1]));
                }
            }
            if (b1 < 0) return;
            double ours1 = med(fig[0][b1 * models.length + 1]);
            System.out.println();
            double ours1Cpu = med(batch1Cpu[0]);
            System.out.printf("== base model, one sequence at a time (%d requests): generated tokens/s, prefills included: wall |"
                    + " per process CPU-second ==%n", few.size());
            System.out.printf("%-30s %9.1f | %9.1f%n", "BatchGenerator, batch 1", ours1, ours1Cpu);
            System.out.printf("%-30s %9.1f | %9.1f%n", "Generator (single-sequence)", med(single[0]), med(singleCpu[0]));
            if (peers.isEmpty()) System.out.println("(no peer engine on the classpath: ./mole bench generation adds Jlama)");
            if (!peers.isEmpty() && inter % 16 != 0) System.out.println("(Jlama's logits are wrong unless --intermediate is a multiple of 16)");
            for (int p = 0; p < peers.size(); p++) {
                int same = 0;
                for (int i = 0; i < ours.size(); i++) if (Arrays.equals(ours.get(i), theirs.get(p).get(i))) same++;
                String name = peers.get(p).name();
                System.out.printf("%-30s %9.1f | %9.1f%n", name, med(single[1 + p]), med(singleCpu[1 + p]));
                System.out.printf("ratio ours (BatchGenerator, batch 1) / %s: %.2f (wall), %.2f (per CPU-second); greedy sequences"
                        + " equal to ours: %d of %d%n", name, ours1 / med(single[1 + p]), ours1Cpu / med(singleCpu[1 + p]), same, ours.size());
            }
        }
    }

    private static double med(double[] v) {
        return ModelBench.median(v);
    }

    /**
     * Prompts of mixed lengths and route policies (automated, manual python / java, forced NL, in turn), each with its
     * own output length; spreads in percent.
     */
    static List<GenerationRequest> requests(int n, int prompt, int promptSpread, int gen, int genSpread) {
        SplittableRandom rnd = new SplittableRandom(7);
        List<GenerationRequest> out = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            int len = around(rnd, prompt, promptSpread);
            int[] ids = new int[len], routes = new int[len];
            for (int i = 0; i < len; i++) {
                ids[i] = i == 0 ? 0 : 2 + rnd.nextInt(256);
                routes[i] = i < len / 2 ? Route.NL : Route.code(Language.PYTHON);
            }
            RoutePolicy policy = switch (r % 4) {
                case 0 -> RoutePolicy.automated();
                case 1 -> RoutePolicy.manual(Language.PYTHON);
                case 2 -> RoutePolicy.manual(Language.JAVA);
                default -> RoutePolicy.forced(Route.NL);
            };
            out.add(new GenerationRequest("r" + r, ids, routes, policy, "", around(rnd, gen, genSpread), null));
        }
        return out;
    }

    /** Uniform in mean +- spread%, at least 1. */
    private static int around(SplittableRandom rnd, int mean, int spreadPercent) {
        int d = mean * spreadPercent / 100;
        return Math.max(1, mean - d + rnd.nextInt(2 * d + 1));
    }

    /** The 1, 5 and 15 minute load averages, or "unknown" off Linux. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) if (a[i] == v) return i;
        return -1;
    }
}
