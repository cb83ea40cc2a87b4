package dev.mole.gpu.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.mole.gpu.model.Generator;
import dev.mole.contracts.language.Language;
import dev.mole.gpu.model.LlamaModel;
import dev.mole.gpu.model.ModelOptions;
import dev.mole.gpu.model.MoleAdapters;
import dev.mole.gpu.model.MoleConfig;
import dev.mole.gpu.model.PissaFactors;
import dev.mole.gpu.model.Route;
import dev.mole.gpu.model.RoutePolicy;
import dev.mole.gpu.model.RoutingMode;
import dev.mole.gpu.model.SvdMethod;
import dev.mole.gpu.model.TinyCheckpointFactory;
import dev.mole.gpu.model.internal.RandomizedSvd;
import dev.mole.gpu.model.internal.SvdFactors;
import dev.mole.gpu.model.internal.ThinSvd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Model-core benchmark, all figures from ONE run (so ratios compare like with like on a shared machine):
 * MoLE vs single LoRA at equal total rank, grouped vs naive routing, KV cache vs full recompute per generated token, and
 * randomised vs exact SVD on a 2048x5504 matrix (time and share of the exact top-k spectrum captured), and the SVD stage's
 * factors of the whole synthetic base by either method.
 *
 * <p>Arguments (all optional): {@code --hidden 1024 --intermediate 2752 --layers 2 --heads 16 --seq 256 --iters 21
 * --gen 32 --prompt 128 --svd-m 2048 --svd-n 5504 --svd-k 64 --device cpu --threads N --skip-exact-svd}.
 */
public final class ModelBench {

    private ModelBench() {}

    public static void main(String[] args) throws Exception {
        int hidden = intArg(args, "--hidden", 1024), inter = intArg(args, "--intermediate", 2752), layers = intArg(args, "--layers", 2);
        int heads = intArg(args, "--heads", 16), seq = intArg(args, "--seq", 256), iters = intArg(args, "--iters", 21);
        int gen = intArg(args, "--gen", 32), prompt = intArg(args, "--prompt", 128);
        int svdM = intArg(args, "--svd-m", 2048), svdN = intArg(args, "--svd-n", 5504), svdK = intArg(args, "--svd-k", 64);
        String device = strArg(args, "--device", "cpu");
        boolean skipExact = Arrays.asList(args).contains("--skip-exact-svd");
        String threads = strArg(args, "--threads", null);
        if (threads != null) {
            // read by DJL's PyTorch engine when it starts: libtorch intra-op threads (1 avoids spin-waits on shared cores)
            System.setProperty("ai.djl.pytorch.num_threads", threads);
            System.setProperty("ai.djl.pytorch.num_interop_threads", threads);
        }
        System.out.printf("ModelBench: engine PyTorch %s, device %s, %d CPU(s) visible, torch threads %s%n",
                Engine.getEngine("PyTorch").getVersion(), device, Runtime.getRuntime().availableProcessors(),
                threads == null ? "default" : threads);

        Path dir = Files.createTempDirectory("mole-bench-ckpt");
        var opts = TinyCheckpointFactory.Options.defaults().withSize(hidden, layers, inter).withHeads(heads, heads);
        TinyCheckpointFactory.write(dir, opts);
        System.out.printf("synthetic LLaMA checkpoint: hidden %d, intermediate %d, layers %d, heads %d; sequence %d tokens%n",
                hidden, inter, layers, heads, seq);

        SplittableRandom rnd = new SplittableRandom(7);
        int[] ids = new int[seq];
        int[] routes = new int[seq];
        for (int i = 0; i < seq; i++) {
            ids[i] = 2 + rnd.nextInt(256);
            // a typical answer: prose, a python block, prose, a java block
            double f = (double) i / seq;
            routes[i] = f < 0.3 ? Route.NL : f < 0.7 ? Route.code(Language.PYTHON) : f < 0.8 ? Route.NL : Route.code(Language.JAVA);
        }
        ModelOptions mo = ModelOptions.defaults().withDevice(device);

        double base, moleGrouped, moleNaive, single;
        double[] mins;
        double[] cpu;
        // all three models loaded at once and measured in interleaved rounds, so drift in machine load hits each alike
        try (LlamaModel b = LlamaModel.load(dir, mo); LlamaModel mole = LlamaModel.load(dir, mo);
             LlamaModel lora = LlamaModel.load(dir, mo)) {
            MoleAdapters.install(mole, MoleConfig.mole(48, 16), SvdMethod.RANDOMIZED);
            MoleAdapters.install(lora, MoleConfig.single(64), SvdMethod.RANDOMIZED);
            double[][] t = new double[4][iters];
            double[][] c = new double[4][iters];
            for (int w = 0; w < 2; w++) {
                for (LlamaModel m : new LlamaModel[] {b, mole, lora}) m.nextLogits(ids, routes, null);
                mole.setRouting(RoutingMode.NAIVE);
                mole.nextLogits(ids, routes, null);
                mole.setRouting(RoutingMode.GROUPED);
            }
            for (int i = 0; i < iters; i++) {
                timeOnce(b, ids, routes, t[0], c[0], i);
                timeOnce(lora, ids, routes, t[1], c[1], i);
                mole.setRouting(RoutingMode.GROUPED);
                timeOnce(mole, ids, routes, t[2], c[2], i);
                mole.setRouting(RoutingMode.NAIVE);
                timeOnce(mole, ids, routes, t[3], c[3], i);
            }
            base = median(t[0]);
            single = median(t[1]);
            moleGrouped = median(t[2]);
            moleNaive = median(t[3]);
            cpu = new double[] {median(c[0]), median(c[1]), median(c[2]), median(c[3])};
            mins = new double[] {min(t[0]), min(t[1]), min(t[2]), min(t[3])};
        }
        System.out.println();
        System.out.printf("== forward pass over %d tokens (30%% NL, 40%% python, 10%% NL, 20%% java), %d interleaved rounds ==%n", seq, iters);
        System.out.println("  ms per sequence: wall median / wall min / calling-thread CPU median (with --threads 1 libtorch computes on");
        System.out.println("  the calling thread, so CPU time is the figure least disturbed by other load on shared cores)");
        System.out.printf("base model (no adapters)         %9.2f / %9.2f / %9.2f%n", base, mins[0], cpu[0]);
        System.out.printf("single LoRA r64                  %9.2f / %9.2f / %9.2f%n", single, mins[1], cpu[1]);
        System.out.printf("MoLE 48+16, grouped routing      %9.2f / %9.2f / %9.2f%n", moleGrouped, mins[2], cpu[2]);
        System.out.printf("MoLE 48+16, naive masked routing %9.2f / %9.2f / %9.2f%n", moleNaive, mins[3], cpu[3]);
        System.out.printf("ratio MoLE(grouped) / single LoRA at equal rank: %.3f (CPU), %.3f (wall median), %.3f (wall min)%n",
                cpu[2] / cpu[1], moleGrouped / single, mins[2] / mins[1]);
        System.out.printf("ratio naive / grouped routing:                   %.3f (CPU), %.3f (wall median), %.3f (wall min)%n",
                cpu[3] / cpu[2], moleNaive / moleGrouped, mins[3] / mins[2]);
        System.out.printf("adapter cost over base (CPU): single LoRA %.3f, MoLE grouped %.3f, MoLE naive %.3f%n",
                cpu[1] / cpu[0], cpu[2] / cpu[0], cpu[3] / cpu[0]);

        try (LlamaModel m = LlamaModel.load(dir, mo)) {
            MoleAdapters.install(m, MoleConfig.mole(48, 16), SvdMethod.RANDOMIZED);
            int[] p = Arrays.copyOf(ids, prompt);
            int[] pr = Arrays.copyOf(routes, prompt);
            Generator g = new Generator(m, -1); // never stop early: both runs make exactly `gen` tokens
            g.generate(p, pr, RoutePolicy.automated(), 4, true, (a, b, c) -> {}); // warm-up
            long[] stamps = new long[gen + 1];
            long[] cpuStamps = new long[gen + 1];
            int[] k = {0};
            g.generate(p, pr, RoutePolicy.automated(), gen, true, (a, b2, c2) -> {
                stamps[++k[0]] = System.nanoTime();
                cpuStamps[k[0]] = THREADS.getCurrentThreadCpuTime();
            });
            // per-token decode time with the cache: from the first token (after prefill) to the last
            double cached = (stamps[gen] - stamps[1]) / 1e6 / (gen - 1);
            double cachedCpu = (cpuStamps[gen] - cpuStamps[1]) / 1e6 / (gen - 1);
            long t0 = System.nanoTime();
            long c0 = THREADS.getCurrentThreadCpuTime();
            g.generate(p, pr, RoutePolicy.automated(), gen, false, (a, b2, c2) -> {});
            double full = (System.nanoTime() - t0) / 1e6 / gen;
            double fullCpu = (THREADS.getCurrentThreadCpuTime() - c0) / 1e6 / gen;
            System.out.println();
            System.out.printf("== generation: prompt %d tokens, %d new tokens, MoLE 48+16, automated routing; ms wall / CPU ==%n", prompt, gen);
            System.out.printf("KV cache, per generated token        %9.2f / %9.2f%n", cached, cachedCpu);
            System.out.printf("full recompute, per generated token  %9.2f / %9.2f%n", full, fullCpu);
            System.out.printf("ratio full recompute / KV cache: %.2f (CPU), %.2f (wall)%n", fullCpu / cachedCpu, full / cached);
        }

        System.out.println();
        System.out.printf("== SVD of a %dx%d matrix, top k=%d (spectrum sigma_i ~ (i+1)^-0.5, like trained weights) ==%n", svdM, svdN, svdK);
        try (NDManager nd = NDManager.newBaseManager(Engine.getEngine("PyTorch").defaultDevice(), "PyTorch")) {
            float[] w = decayingMatrix(nd, svdM, svdN, 11);
            long t0 = System.nanoTime();
            long c0 = THREADS.getCurrentThreadCpuTime();
            SvdFactors approx = RandomizedSvd.defaults().topK(nd, w, svdM, svdN, svdK);
            double tr = (System.nanoTime() - t0) / 1e6;
            double trCpu = (THREADS.getCurrentThreadCpuTime() - c0) / 1e6;
            System.out.printf("randomised (oversample 16, 4 power iterations) %10.0f ms wall, %10.0f ms CPU%n", tr, trCpu);
            if (!skipExact) {
                t0 = System.nanoTime();
                c0 = THREADS.getCurrentThreadCpuTime();
                SvdFactors exact = ThinSvd.topK(w, svdM, svdN, Math.min(svdM, svdN));
                double te = (System.nanoTime() - t0) / 1e6;
                double teCpu = (THREADS.getCurrentThreadCpuTime() - c0) / 1e6;
                double share = RandomizedSvd.spectrumCaptured(approx, exact.s());
                System.out.printf("exact thin SVD (EJML, float32)                 %10.0f ms wall, %10.0f ms CPU%n", te, teCpu);
                System.out.printf("ratio exact / randomised time: %.1f (CPU), %.1f (wall)%n", teCpu / trCpu, te / tr);
                System.out.printf("share of exact top-%d spectrum captured by randomised: %.5f%n", svdK, share);
                double sMax = 0;
                for (int i = 0; i < svdK; i++) sMax = Math.max(sMax, Math.abs(approx.s()[i] - exact.s()[i]) / exact.s()[i]);
                System.out.printf("max relative error of the top-%d singular values: %.2e%n", svdK, sMax);
            }
        }

        // what the SVD stage runs once per base and k: every projection of the synthetic checkpoint, read from its files
        System.out.println();
        System.out.printf("== SVD stage: the whole synthetic base (%d layers x gate, up, down), top k=%d ==%n", layers, svdK);
        for (SvdMethod method : skipExact ? new SvdMethod[] {SvdMethod.RANDOMIZED} : SvdMethod.values()) {
            long t0 = System.nanoTime();
            long c0 = THREADS.getCurrentThreadCpuTime();
            PissaFactors f = PissaFactors.compute(dir, svdK, method, mo, null);
            double wall = (System.nanoTime() - t0) / 1e6, cpuMs = (THREADS.getCurrentThreadCpuTime() - c0) / 1e6;
            System.out.printf("%-10s %d projections: %10.0f ms wall, %10.0f ms CPU (%.0f ms wall per projection)%n", method, f.size(),
                    wall, cpuMs, wall / f.size());
        }
    }

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    /** One full forward pass: wall ms into wall[i], calling-thread CPU ms into cpu[i]. */
    static void timeOnce(LlamaModel m, int[] ids, int[] routes, double[] wall, double[] cpu, int i) {
        long c0 = THREADS.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        m.nextLogits(ids, routes, null);
        wall[i] = (System.nanoTime() - t0) / 1e6;
        cpu[i] = (THREADS.getCurrentThreadCpuTime() - c0) / 1e6;
    }

    static double min(double[] v) {
        return Arrays.stream(v).min().orElseThrow();
    }

    static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }

    /** W = X diag(sigma) Y^T with near-orthonormal random X, Y (high-dimensional Gaussian columns), built with DJL matmuls. */
    static float[] decayingMatrix(NDManager nd, int m, int n, long seed) {
        int r = Math.min(m, n);
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[m * r], y = new float[r * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < r; j++) x[i * r + j] = (float) (rnd.nextGaussian() / Math.sqrt(m) * Math.pow(j + 1, -0.5));
        }
        for (int i = 0; i < y.length; i++) y[i] = (float) (rnd.nextGaussian() / Math.sqrt(n));
        try (NDManager tmp = nd.newSubManager()) {
            NDArray w = tmp.create(x, new Shape(m, r)).matMul(tmp.create(y, new Shape(r, n)));
            return w.toFloatArray();
        }
    }

    static int intArg(String[] args, String name, int def) {
        for (int i = 0; i + 1 < args.length; i++) if (args[i].equals(name)) return Integer.parseInt(args[i + 1]);
        return def;
    }

    static String strArg(String[] args, String name, String def) {
        for (int i = 0; i + 1 < args.length; i++) if (args[i].equals(name)) return args[i + 1];
        return def;
    }

}
