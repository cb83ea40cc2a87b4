package dev.mole.gpu.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mole.contracts.training.LossCurve;
import dev.mole.contracts.training.TrainingHyperParameters;
import dev.mole.contracts.training.TrainingProgress;
import dev.mole.gpu.model.LlamaModel;
import dev.mole.gpu.model.TokenizedSample;
import dev.mole.gpu.model.internal.RouterLog;
import dev.mole.gpu.model.internal.Tensors;
import dev.mole.gpu.training.internal.AutogradScope;
import dev.mole.gpu.training.internal.F32Safetensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The finetuning loop for one set of trainable arrays on one model (docs/mole-protocol.md section 4).
 *
 * <ul>
 *   <li>Loss: next-token cross-entropy over answer tokens and eos only (the record tokenizer's loss mask), summed over the
 *       effective batch and divided by its number of trained tokens, so every trained token weighs the same.</li>
 *   <li>Batching without padding: every sequence is its own forward pass at its own length (the model takes one sequence
 *       per call), and gradients accumulate over the effective batch; no pad token is ever computed.</li>
 *   <li>Data order: a seeded permutation per epoch, a pure function of (seed, epoch), so the data position is the step.</li>
 *   <li>Checkpoints every N steps hold the trainable arrays, AdamW moments, the step (scheduler position and data
 *       position) and the RNG definition; {@link #run} resumes from the store's latest complete checkpoint and then
 *       continues exactly as an uninterrupted run would.</li>
 * </ul>
 */
public final class TrainingLoop {

    /** What a finished loop reports. */
    public record Result(long steps, long totalSteps, long resumedFromStep, double lastLoss, List<Double> stepLosses,
                         Map<String, Double> initialValidation, Map<String, Double> finalValidation,
                         List<LossCurve.Point> lossCurve, List<LossCurve.ValidationPoint> validationCurve, long skippedSteps) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LlamaModel model;
    private final Map<String, NDArray> trainable;
    private final TrainingHyperParameters hp;
    private final long seed;
    private final List<TrainingExample> train;
    private final List<TrainingExample> validation;
    private final CheckpointStore store;
    private final ProgressListener listener;
    private final String phase;
    private int tokenBudget;
    private LossCurve curve = new LossCurve();
    private double initialLossScale = DynamicLossScale.INITIAL;
    /** The last optimiser step's router choices (MULTIPL_MOE); null for methods without a learned router. */
    private RoutingTally routing;
    /** fp16 runs only: master weights, gradient sums and loss scale; null in fp32. */
    private HalfPrecisionTraining half;
    /** What the optimiser updates and checkpoints hold: the trainable arrays (fp32) or their fp32 masters (fp16). */
    private Map<String, NDArray> optimised;

    public TrainingLoop(LlamaModel model, Map<String, NDArray> trainable, TrainingHyperParameters hp, long seed,
                        List<TrainingExample> train, List<TrainingExample> validation, CheckpointStore store,
                        ProgressListener listener, String phase) {
        if (train.isEmpty()) throw new IllegalArgumentException("no training examples");
        this.model = model;
        this.trainable = new LinkedHashMap<>(trainable);
        this.hp = hp;
        this.seed = seed;
        this.train = train;
        this.validation = validation;
        this.store = store;
        this.listener = listener == null ? ProgressListener.NONE : listener;
        this.phase = phase;
    }

    /**
     * Length bucketing: the sequences of an optimiser step are sorted by length and packed greedily into right-padded
     * forward passes of at most {@code paddedTokens} (sequences x longest length) each; 0 (the default) runs one sequence per
     * pass (no padding at all). Sorting first keeps padding small. Part of the run's arithmetic: resume with the same value.
     */
    public TrainingLoop withTokenBudget(int paddedTokens) {
        this.tokenBudget = Math.max(0, paddedTokens);
        return this;
    }

    /** The fp16 loss scale to start from (tests force overflows with a huge one); ignored in fp32. */
    TrainingLoop withInitialLossScale(double scale) {
        this.initialLossScale = scale;
        return this;
    }

    public long stepsPerEpoch() {
        return (train.size() + hp.effectiveBatch() - 1) / hp.effectiveBatch();
    }

    public long totalSteps() {
        long all = hp.epochs() * stepsPerEpoch();
        return hp.maxSteps() > 0 ? Math.min(all, hp.maxSteps()) : all;
    }

    public Result run() {
        AutogradScope.noGrad();
        if (hp.precision().equals("fp16")) half = HalfPrecisionTraining.start(model, trainable, new DynamicLossScale(initialLossScale));
        Map<String, NDArray> leaves = half == null ? trainable : half.working();
        optimised = half == null ? trainable : half.masters();
        for (NDArray p : leaves.values()) p.setRequiresGradient(true);
        long total = totalSteps();
        LinearWarmupDecay schedule = LinearWarmupDecay.of(hp.learningRate(), hp.warmupShare(), hp.endLearningRateFactor(), total);
        try (AdamW opt = new AdamW(model.manager(), optimised, hp.beta1(), hp.beta2(), hp.epsilon(), hp.weightDecay())) {
            long step = 0;
            var latest = store == null ? java.util.Optional.<CheckpointStore.Checkpoint>empty() : store.latest();
            if (latest.isPresent()) step = restore(latest.get(), opt, total);
            long resumedFrom = step;
            Map<String, Double> initialVal = step == 0 && !validation.isEmpty() ? validate() : Map.of();
            if (!initialVal.isEmpty()) curve.addValidation(0, initialVal);
            Map<String, Double> lastVal = initialVal;
            List<Double> losses = new ArrayList<>();
            double lastLoss = Double.NaN;
            long tokens = 0;
            long t0 = System.nanoTime();
            int[] order = null;
            long orderEpoch = -1;
            while (step < total) {
                long epoch = step / stepsPerEpoch();
                int b = (int) (step % stepsPerEpoch());
                if (epoch != orderEpoch) {
                    order = permutation(train.size(), seed, epoch);
                    orderEpoch = epoch;
                }
                int from = b * hp.effectiveBatch(), to = Math.min(train.size(), from + hp.effectiveBatch());
                List<TrainingExample> batch = new ArrayList<>(to - from);
                for (int i = from; i < to; i++) batch.add(train.get(order[i]));
                double lr = schedule.at(step);
                lastLoss = accumulate(batch);
                update(opt, lr, step);
                step++;
                losses.add(lastLoss);
                curve.add(step, lastLoss);
                for (TrainingExample x : batch) tokens += x.sample().length() - 1;
                if (hp.validationEvery() > 0 && step % hp.validationEvery() == 0 && step < total && !validation.isEmpty()) {
                    // a validation pass can take minutes: say so, or the run looks stuck at the step before
                    report(":validation", step, total, (int) epoch, lastLoss, lr, tokens, t0, lastVal, eta(t0, step - resumedFrom, total - step));
                    lastVal = validate();
                    curve.addValidation(step, lastVal);
                }
                // the last step is checkpointed too, so a retry after the end (e.g. a later PerLang language failed) skips it
                if (store != null && hp.checkpointEvery() > 0 && (step % hp.checkpointEvery() == 0 || step == total)) {
                    store.save(step, checkpointParts(step, opt));
                }
                report("", step, total, (int) epoch, lastLoss, lr, tokens, t0, lastVal, eta(t0, step - resumedFrom, total - step));
            }
            Map<String, Double> finalVal = validation.isEmpty() ? Map.of() : validate();
            if (!finalVal.isEmpty()) curve.addValidation(step, finalVal);
            report(":done", step, total, (int) Math.max(0, (step - 1) / stepsPerEpoch()), lastLoss, schedule.at(Math.max(0, step - 1)),
                    tokens, t0, finalVal, 0);
            return new Result(step, total, resumedFrom, lastLoss, losses, initialVal, finalVal, curve.points(), curve.validation(),
                    half == null ? 0 : half.lossScale().skipped());
        } finally {
            for (NDArray p : leaves.values()) p.setRequiresGradient(false);
            if (half != null) {
                trainable.putAll(half.finish(model));
                half.close();
                half = null;
            }
        }
    }

    /** One progress event of this loop's phase ({@code suffix}: "", ":validation", ":done"), with the curve so far. */
    private void report(String suffix, long step, long total, int epoch, double loss, double lr, long tokens, long t0,
                        Map<String, Double> validationLoss, double etaSeconds) {
        double secs = Math.max((System.nanoTime() - t0) / 1e9, 1e-9);
        listener.onProgress(new TrainingProgress(phase + suffix, step, total, epoch, loss, lr, tokens / secs, validationLoss,
                etaSeconds, curve.points(), curve.validation(), routing == null ? null : routing.counts()));
    }

    /** Seconds left at the mean pace of the steps this attempt ran (validation passes included). */
    private static double eta(long t0, long stepsDone, long stepsLeft) {
        return (System.nanoTime() - t0) / 1e9 / stepsDone * stepsLeft;
    }

    /** fp32: AdamW on the accumulated gradients. fp16: unscale the fp32 gradient sums, then update or skip the step. */
    private void update(AdamW opt, double lr, long step) {
        if (half == null) {
            opt.step(lr);
            return;
        }
        boolean finite = half.unscale();
        if (finite) opt.step(lr, half.gradients());
        half.endStep(finite, step + 1);
    }

    /** Forward and backward over every sequence of the batch; gradients accumulate; returns the batch's mean token loss. */
    private double accumulate(List<TrainingExample> batch) {
        routing = model.moe() == null ? null : new RoutingTally();
        long count = 0;
        for (TrainingExample x : batch) count += x.lossTokens();
        if (count == 0) return Double.NaN;
        double sum = 0;
        try (GradientCollector gc = AutogradScope.collect()) {
            for (List<TrainingExample> group : buckets(batch, tokenBudget)) {
                // one manager per forward pass: everything the forward and backward create is freed before the next one
                try (NDManager s = model.manager().newSubManager()) {
                    RouterLog log = model.moe() == null ? null : new RouterLog();
                    NDArray loss = group.size() == 1 ? tokenLossSum(model, s, group.get(0).sample(), log) : batchLossSum(model, s, group, log);
                    NDArray total = log == null ? loss : loss.add(auxiliaryLoss(s, log, group));
                    gc.backward(AutogradScope.scaleLoss(total, (half == null ? 1.0 : half.lossScale().scale()) / count));
                    sum += loss.getFloat(); // the reported loss is the answer-token loss alone, comparable across methods
                    if (log != null) routing.add(log);
                    if (half != null) half.foldGradients(s);
                }
            }
        }
        AutogradScope.noGrad();
        return sum / count;
    }

    /**
     * A learned router's auxiliary losses (docs/multipl-moe.md): each sequence's, weighted by its trained tokens, so after
     * the division by the step's trained tokens they weigh what its tokens weigh, and a sequence contributes the same
     * whether it is alone in its forward pass or padded beside others.
     */
    static NDArray auxiliaryLoss(NDManager s, RouterLog log, List<TrainingExample> group) {
        float[] w = new float[group.size()];
        for (int i = 0; i < w.length; i++) w[i] = group.get(i).lossTokens();
        return log.auxPerSequence().mul(s.create(w)).sum();
    }

    /** Sequences with trained tokens, sorted by length (stable) and packed into groups of at most {@code budget} padded tokens. */
    static List<List<TrainingExample>> buckets(List<TrainingExample> batch, int budget) {
        List<TrainingExample> xs = new ArrayList<>();
        for (TrainingExample x : batch) if (x.lossTokens() > 0) xs.add(x);
        List<List<TrainingExample>> out = new ArrayList<>();
        if (budget <= 0) {
            for (TrainingExample x : xs) out.add(List.of(x));
            return out;
        }
        xs.sort(java.util.Comparator.comparingInt(x -> x.sample().length()));
        List<TrainingExample> cur = new ArrayList<>();
        for (TrainingExample x : xs) {
            int len = x.sample().length() - 1; // fed length
            if (!cur.isEmpty() && (long) (cur.size() + 1) * len > budget) {
                out.add(cur);
                cur = new ArrayList<>();
            }
            cur.add(x);
        }
        if (!cur.isEmpty()) out.add(cur);
        return out;
    }

    /** Like {@link #tokenLossSum} for several sequences in one right-padded forward pass. */
    static NDArray batchLossSum(LlamaModel model, NDManager s, List<TrainingExample> group) {
        return batchLossSum(model, s, group, null);
    }

    static NDArray batchLossSum(LlamaModel model, NDManager s, List<TrainingExample> group, RouterLog log) {
        int b = group.size();
        int[][] ids = new int[b][], routes = new int[b][];
        int t = 0, n = 0;
        for (int i = 0; i < b; i++) {
            TokenizedSample x = group.get(i).sample();
            ids[i] = Arrays.copyOf(x.ids(), x.length() - 1);
            routes[i] = Arrays.copyOf(x.routes(), x.length() - 1);
            t = Math.max(t, ids[i].length);
            n += group.get(i).lossTokens();
        }
        long[] pos = new long[n], tgt = new long[n];
        int k = 0;
        for (int i = 0; i < b; i++) {
            TokenizedSample x = group.get(i).sample();
            for (int p = 0; p + 1 < x.length(); p++) {
                if (x.lossMask()[p + 1]) {
                    pos[k] = (long) i * t + p;
                    tgt[k++] = x.ids()[p + 1];
                }
            }
        }
        NDArray logits = model.forwardBatch(s, ids, routes, log);
        NDArray flat = logits.reshape(-1, logits.getShape().get(2));
        NDArray picked = Tensors.widen(flat.get(new NDIndex("{}", s.create(pos))));
        return picked.logSoftmax(-1).gather(s.create(tgt, new Shape(n, 1)), 1).sum().neg();
    }

    /** Sum over trained positions of -log p(next token), as a scalar in {@code s}. */
    static NDArray tokenLossSum(LlamaModel model, NDManager s, TokenizedSample x) {
        return tokenLossSum(model, s, x, null);
    }

    static NDArray tokenLossSum(LlamaModel model, NDManager s, TokenizedSample x, RouterLog log) {
        int t = x.length();
        boolean[] mask = x.lossMask();
        int n = 0;
        for (int i = 0; i + 1 < t; i++) if (mask[i + 1]) n++;
        long[] pos = new long[n], tgt = new long[n];
        int k = 0;
        for (int i = 0; i + 1 < t; i++) {
            if (mask[i + 1]) {
                pos[k] = i;
                tgt[k++] = x.ids()[i + 1];
            }
        }
        // the last token predicts nothing: it is not fed
        NDArray logits = model.forward(s, Arrays.copyOf(x.ids(), t - 1), Arrays.copyOf(x.routes(), t - 1), null, log);
        // the loss is always taken in fp32: fp16 logits are widened (in the graph) after picking the trained positions
        NDArray picked = Tensors.widen(logits.get(new NDIndex("{}", s.create(pos))));
        return picked.logSoftmax(-1).gather(s.create(tgt, new Shape(n, 1)), 1).sum().neg();
    }

    /** Mean answer-token loss per language tag and over all ("all"), without gradients. */
    public Map<String, Double> validate() {
        return evaluate(model, validation);
    }

    public static Map<String, Double> evaluate(LlamaModel model, List<TrainingExample> examples) {
        AutogradScope.noGrad();
        Map<String, double[]> acc = new TreeMap<>();
        for (TrainingExample x : examples) {
            int n = x.lossTokens();
            if (n == 0) continue;
            double l;
            try (NDManager s = model.manager().newSubManager()) {
                l = tokenLossSum(model, s, x.sample()).getFloat();
            }
            for (String key : List.of(x.language().id(), "all")) {
                double[] a = acc.computeIfAbsent(key, k -> new double[2]);
                a[0] += l;
                a[1] += n;
            }
        }
        Map<String, Double> out = new TreeMap<>();
        acc.forEach((k, a) -> out.put(k, a[0] / a[1]));
        return out;
    }

    /** The data order of one epoch: Fisher-Yates with a generator seeded by (seed, epoch) only. */
    public static int[] permutation(int n, long seed, long epoch) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int tmp = p[i];
            p[i] = p[j];
            p[j] = tmp;
        }
        return p;
    }

    // ---- checkpoint parts -------------------------------------------------------------------------------------------

    static final String STATE = "state.json";
    static final String TRAINABLE = "trainable.safetensors";
    static final String OPTIMIZER = "optimizer.safetensors";

    private Map<String, byte[]> checkpointParts(long step, AdamW opt) {
        Map<String, F32Safetensors.Tensor> params = new LinkedHashMap<>();
        for (var e : optimised.entrySet()) {
            params.put(e.getKey(), new F32Safetensors.Tensor(e.getValue().getShape().getShape(), e.getValue().toFloatArray()));
        }
        ObjectNode st = JSON.createObjectNode();
        st.put("phase", phase);
        st.put("step", step);
        st.put("totalSteps", totalSteps());
        st.put("schedulerStep", step);
        st.put("optimizerSteps", opt.steps());
        st.put("epoch", step / stepsPerEpoch());
        st.put("batchInEpoch", step % stepsPerEpoch());
        st.put("effectiveBatch", hp.effectiveBatch());
        st.put("trainExamples", train.size());
        // the only randomness after init is the data order: SplittableRandom(seed * golden + epoch), Fisher-Yates
        st.putObject("rng").put("kind", "SplittableRandom(seed*0x9E3779B97F4A7C15+epoch)").put("seed", seed);
        st.put("trainableCount", trainable.size());
        st.put("precision", hp.precision());
        if (half != null) half.lossScale().save(st);
        // the console's history of the run, so a resumed run's curve starts at step 1, not at the resume point
        st.set("lossCurve", JSON.valueToTree(curve.points()));
        st.set("validationCurve", JSON.valueToTree(curve.validation()));
        Map<String, byte[]> parts = new LinkedHashMap<>();
        parts.put(TRAINABLE, F32Safetensors.encode(params));
        parts.put(OPTIMIZER, F32Safetensors.encode(opt.exportState()));
        parts.put(STATE, st.toString().getBytes(StandardCharsets.UTF_8));
        return parts;
    }

    private static LossCurve restoreCurve(JsonNode st) {
        if (!st.has("lossCurve")) return new LossCurve(); // a checkpoint written before curves were kept
        var types = JSON.getTypeFactory();
        List<LossCurve.Point> points = JSON.convertValue(st.get("lossCurve"), types.constructCollectionType(List.class, LossCurve.Point.class));
        List<LossCurve.ValidationPoint> val = JSON.convertValue(st.get("validationCurve"),
                types.constructCollectionType(List.class, LossCurve.ValidationPoint.class));
        return LossCurve.resume(points, val);
    }

    /** Loads a checkpoint into the trainable arrays and the optimiser; returns its step. */
    private long restore(CheckpointStore.Checkpoint c, AdamW opt, long total) {
        JsonNode st;
        try {
            st = JSON.readTree(c.parts().get(STATE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (st.get("rng").get("seed").asLong() != seed || st.get("totalSteps").asLong() != total
                || st.get("effectiveBatch").asInt() != hp.effectiveBatch() || st.get("trainExamples").asInt() != train.size()
                || !st.path("precision").asText("fp32").equals(hp.precision())) {
            throw new IllegalStateException("checkpoint at step " + c.step() + " belongs to a different run: " + st);
        }
        Map<String, F32Safetensors.Tensor> params = F32Safetensors.decode(c.parts().get(TRAINABLE));
        if (!params.keySet().equals(optimised.keySet())) throw new IllegalStateException("checkpoint holds other trainable arrays");
        AutogradScope.noGrad();
        for (var e : optimised.entrySet()) e.getValue().set(params.get(e.getKey()).data());
        if (half != null) {
            half.lossScale().restore(st);
            half.copyMastersToWorking();
        }
        opt.importState(F32Safetensors.decode(c.parts().get(OPTIMIZER)), st.get("optimizerSteps").asLong());
        curve = restoreCurve(st);
        return st.get("step").asLong();
    }
}
