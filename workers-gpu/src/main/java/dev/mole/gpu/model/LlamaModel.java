package dev.mole.gpu.model;

import ai.djl.Device;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.mole.gpu.model.internal.ArrayCaster;
import dev.mole.gpu.model.internal.Attention;
import dev.mole.gpu.model.internal.DecoderLayer;
import dev.mole.gpu.model.internal.MoleLinear;
import dev.mole.gpu.model.internal.RmsNorm;
import dev.mole.gpu.model.internal.RotaryEmbedding;
import dev.mole.gpu.model.internal.RouteGroups;
import dev.mole.gpu.model.internal.RouterLog;
import dev.mole.gpu.model.internal.SwiGluMlp;
import dev.mole.gpu.model.internal.TokenRows;
import dev.mole.gpu.model.internal.Tensors;
import dev.mole.gpu.model.internal.TensorStore;
import java.nio.file.Path;
import java.util.List;

/**
 * A LLaMA-family decoder on DJL (PyTorch engine) with optional MoLE adapters on the MLP projections.
 *
 * <p>One sequence per call: {@code ids} [T] at positions {@code cache.length()..}; {@code routes} [T] gives each token's
 * route ({@link Route}); null routes mean every token is NL. All per-call arrays live in the caller's step manager.
 */
public final class LlamaModel implements AutoCloseable {

    private final LlamaConfig config;
    private final NDManager manager;
    private final Device device;
    private NDArray embed;
    private NDArray lmHeadT;
    private final boolean headIsEmbeddingView;
    private final RmsNorm finalNorm;
    private final DecoderLayer[] layers;
    private final RotaryEmbedding rotary;
    private final HuggingFaceTokenizer tokenizer;
    private RoutingMode routing;
    private MoleConfig mole;
    private dev.mole.contracts.training.MoeSettings moe;
    private int[][] routeTable;
    private int adapterCount;

    private LlamaModel(LlamaConfig config, NDManager manager, NDArray embed, NDArray lmHeadT, boolean headIsEmbeddingView,
                       RmsNorm finalNorm, DecoderLayer[] layers, HuggingFaceTokenizer tokenizer, RoutingMode routing) {
        this.config = config;
        this.manager = manager;
        this.device = manager.getDevice();
        this.embed = embed;
        this.lmHeadT = lmHeadT;
        this.headIsEmbeddingView = headIsEmbeddingView;
        this.finalNorm = finalNorm;
        this.layers = layers;
        this.tokenizer = tokenizer;
        this.routing = routing;
        this.rotary = new RotaryEmbedding(config.headDim(), config.ropeTheta(), config.ropeLinearFactor());
    }

    public static LlamaModel load(Path dir) {
        return load(dir, ModelOptions.defaults());
    }

    public static LlamaModel load(Path dir, ModelOptions options) {
        try (LlamaCheckpoint ck = LlamaCheckpoint.open(dir)) {
            // the tokenizer outlives the checkpoint's mapped files, so load our own instance
            return load(ck, options, LlamaCheckpoint.loadTokenizer(dir));
        }
    }

    static LlamaModel load(LlamaCheckpoint ck, ModelOptions options, HuggingFaceTokenizer tokenizer) {
        LlamaConfig c = ck.config();
        TensorStore ts = ck.tensors();
        NDManager m = NDManager.newBaseManager(options.resolveDevice(), "PyTorch");
        try {
            int h = c.hiddenSize(), d = c.headDim(), q = c.numHeads() * d, kv = c.numKvHeads() * d, im = c.intermediateSize();
            int v = c.vocabSize();
            NDArray embed = m.create(ts.read("model.embed_tokens.weight", v, h), new Shape(v, h));
            DecoderLayer[] layers = new DecoderLayer[c.numLayers()];
            for (int l = 0; l < layers.length; l++) {
                String p = "model.layers." + l + ".";
                boolean bias = c.qkvBias();
                Attention att = new Attention(linearT(m, ts, p + "self_attn.q_proj.weight", q, h),
                        linearT(m, ts, p + "self_attn.k_proj.weight", kv, h), linearT(m, ts, p + "self_attn.v_proj.weight", kv, h),
                        linearT(m, ts, p + "self_attn.o_proj.weight", h, q),
                        bias ? m.create(ts.read(p + "self_attn.q_proj.bias", q)) : null,
                        bias ? m.create(ts.read(p + "self_attn.k_proj.bias", kv)) : null,
                        bias ? m.create(ts.read(p + "self_attn.v_proj.bias", kv)) : null, c.numHeads(), c.numKvHeads(), d);
                layers[l] = new DecoderLayer(
                        new RmsNorm(m.create(ts.read(p + "input_layernorm.weight", h)), c.rmsNormEps()), att,
                        new RmsNorm(m.create(ts.read(p + "post_attention_layernorm.weight", h)), c.rmsNormEps()),
                        new SwiGluMlp(new MoleLinear(linearT(m, ts, p + "mlp.gate_proj.weight", im, h)),
                                new MoleLinear(linearT(m, ts, p + "mlp.up_proj.weight", im, h)),
                                new MoleLinear(linearT(m, ts, p + "mlp.down_proj.weight", h, im))));
            }
            RmsNorm norm = new RmsNorm(m.create(ts.read("model.norm.weight", h)), c.rmsNormEps());
            boolean tied = c.tieWordEmbeddings() && !ts.contains("lm_head.weight");
            NDArray head = tied ? embed.transpose() /* a view, created once */ : linearT(m, ts, "lm_head.weight", v, h);
            return new LlamaModel(c, m, embed, head, tied, norm, layers, tokenizer, options.routing());
        } catch (RuntimeException e) {
            m.close();
            tokenizer.close();
            throw e;
        }
    }

    private static NDArray linearT(NDManager m, TensorStore ts, String name, int out, int in) {
        return m.create(Tensors.transpose(ts.read(name, out, in), out, in), new Shape(in, out));
    }

    public LlamaConfig config() {
        return config;
    }

    public HuggingFaceTokenizer tokenizer() {
        return tokenizer;
    }

    public NDManager manager() {
        return manager;
    }

    public Device device() {
        return device;
    }

    /** The floating type the model computes in: float32 as loaded, float16 after {@link #castTo}. */
    public DataType dataType() {
        return embed.getDataType();
    }

    /**
     * Recasts every array of the model (base weights, norms, adapters) to {@code type}, closing the old ones; returns
     * old array -> new array by identity, so a holder of the old arrays (the training loop) can follow. Half precision
     * is for training and inference on accelerators with fast fp16; the cast back to float32 restores the types, not the
     * bits lost to fp16 rounding.
     */
    public java.util.Map<NDArray, NDArray> castTo(DataType type) {
        ArrayCaster cast = new ArrayCaster(type);
        embed = cast.apply(embed);
        if (headIsEmbeddingView) {
            lmHeadT.close(); // the old transposed view
            lmHeadT = embed.transpose();
        } else {
            lmHeadT = cast.apply(lmHeadT);
        }
        finalNorm.castTo(cast);
        for (DecoderLayer layer : layers) layer.castTo(cast);
        return cast.replaced();
    }

    /** A per-step constant (rotary table, mask) made in float32, in the model's type. */
    private NDArray constant(NDArray a) {
        return Tensors.asTypeOf(a, embed);
    }

    private NDArray[] rotaryTables(NDManager step, int start, int length) {
        NDArray[] cs = rotary.tables(step, start, length);
        return new NDArray[] {constant(cs[0]), constant(cs[1])};
    }

    public RoutingMode routing() {
        return routing;
    }

    public void setRouting(RoutingMode routing) {
        this.routing = routing;
    }

    /** The installed adapter layout, or null for the plain base model. */
    public MoleConfig mole() {
        return mole;
    }

    List<DecoderLayer> layers() {
        return List.of(layers);
    }

    /** The MultiPL-MoE settings the MLPs were upcycled with, or null for a dense (or MoLE) model. */
    public dev.mole.contracts.training.MoeSettings moe() {
        return moe;
    }

    /** Called by {@link MultiplMoe} after upcycling every layer's MLP. */
    void moeInstalled(dev.mole.contracts.training.MoeSettings settings) {
        this.moe = settings;
    }

    /** Called by {@link MoleAdapters} after installing adapters on every MLP projection. */
    void adaptersInstalled(MoleConfig cfg) {
        this.mole = cfg;
        this.routeTable = cfg.routeTable();
        this.adapterCount = cfg.adapters().size();
    }

    /**
     * Every base weight by its Hugging Face name, as this model holds it: linear weights TRANSPOSED ([in, out]); once
     * adapters are installed the three MLP entries hold the PiSSA residual. With tied embeddings {@code lm_head.weight} is
     * absent (it is a view of the embedding). Added for training (Full-FT makes these trainable; adapter methods check they
     * stay bit-identical) and for loading trained adapters back onto a base.
     */
    public java.util.Map<String, NDArray> weights() {
        java.util.Map<String, NDArray> w = new java.util.LinkedHashMap<>();
        w.put("model.embed_tokens.weight", embed);
        String[] att = {"q_proj", "k_proj", "v_proj", "o_proj"};
        for (int l = 0; l < layers.length; l++) {
            String p = "model.layers." + l + ".";
            DecoderLayer d = layers[l];
            w.put(p + "input_layernorm.weight", d.inputNorm.weight());
            NDArray[] a = d.attention.weights();
            for (int i = 0; i < att.length; i++) w.put(p + "self_attn." + att[i] + ".weight", a[i]);
            NDArray[] biases = d.attention.biases();
            if (biases != null) for (int i = 0; i < biases.length; i++) w.put(p + "self_attn." + att[i] + ".bias", biases[i]);
            w.put(p + "post_attention_layernorm.weight", d.postNorm.weight());
            MoleLinear[] mlp = d.mlp();
            w.put(p + "mlp.gate_proj.weight", mlp[0].weightT());
            w.put(p + "mlp.up_proj.weight", mlp[1].weightT());
            w.put(p + "mlp.down_proj.weight", mlp[2].weightT());
        }
        w.put("model.norm.weight", finalNorm.weight());
        if (!config.tieWordEmbeddings()) w.put("lm_head.weight", lmHeadT);
        return w;
    }

    public KvCache newCache() {
        return new KvCache(manager, layers.length);
    }

    /**
     * Logits [T, vocab] for {@code ids} following what {@code cache} holds (or from position 0 when cache is null);
     * the cache, if given, is extended by these tokens.
     */
    public NDArray forward(NDManager step, int[] ids, int[] routes, KvCache cache) {
        return forward(step, ids, routes, cache, null);
    }

    /** {@link #forward} with a learned router's auxiliary losses and choices recorded in {@code log} (may be null). */
    public NDArray forward(NDManager step, int[] ids, int[] routes, KvCache cache, RouterLog log) {
        int t = ids.length;
        if (t == 0) throw new IllegalArgumentException("no tokens");
        if (routes != null && routes.length != t) throw new IllegalArgumentException("routes length " + routes.length + " != tokens " + t);
        int start = cache == null ? 0 : cache.length();
        long[] idx = checkedIds(ids);
        RouteGroups groups = mole == null ? null
                : new RouteGroups(step, routes != null ? routes : Route.fill(t, Route.NL), routeTable, adapterCount);
        if (cache == null && groups != null && routing == RoutingMode.GROUPED && groups.sortNeeded()) {
            return forwardSorted(step, idx, groups);
        }
        NDArray h = embed.get(step, new NDIndex("{}", step.create(idx)));
        NDArray[] cs = rotaryTables(step, start, t);
        NDArray mask = t == 1 ? null : constant(causalMask(step, start, t));
        // rows continuing a cache are not whole sequences: only the dense and MoLE MLPs take them
        TokenRows rows = new TokenRows(groups, routing,
                cache == null ? TokenRows.Sequences.single(routes != null ? routes : Route.fill(t, Route.NL)) : null, log);
        for (int l = 0; l < layers.length; l++) {
            final int layer = l;
            Attention.KvAppender app = cache == null ? null : (k, v) -> cache.append(layer, k, v);
            h = layers[l].forward(h, cs[0], cs[1], mask, app, rows);
        }
        if (cache != null) cache.advance(t);
        return finalNorm.forward(h).matMul(lmHeadT);
    }

    private long[] checkedIds(int[] ids) {
        long[] idx = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= config.vocabSize()) throw new IllegalArgumentException("token id " + ids[i] + " outside vocab");
            idx[i] = ids[i];
        }
        return idx;
    }

    /** A cache for up to {@code rows} sequences decoding together ({@link #prefill}, {@link #decodeStep}). */
    BatchKvCache newBatchCache(int rows) {
        return new BatchKvCache(manager, layers.length, rows, config.numKvHeads(), config.headDim(), dataType());
    }

    /**
     * Prefills several prompts in ONE forward pass as new rows of {@code cache}, packed back to back without padding:
     * every row-wise part (norms, MLP with its adapters grouped by route over all the prompts' tokens) runs on all tokens
     * at once, and each prompt attends to itself alone, as its own single-sequence prefill does, its keys and values
     * going straight into its row. Returns the logits of each prompt's last token, [prompts, vocab] (only those rows go
     * through the final norm and the vocab projection). Equal to each prompt's own prefill up to float rounding.
     */
    NDArray prefill(NDManager step, int[][] ids, int[][] routes, BatchKvCache cache) {
        int b = ids.length;
        if (b == 0) throw new IllegalArgumentException("no prompts");
        int[] lengths = new int[b];
        long[] starts = new long[b], last = new long[b];
        int n = 0, longest = 0;
        for (int i = 0; i < b; i++) {
            if (routes[i].length != ids[i].length) {
                throw new IllegalArgumentException("prompt " + i + ": " + routes[i].length + " routes for " + ids[i].length + " tokens");
            }
            lengths[i] = ids[i].length;
            starts[i] = n;
            n += lengths[i];
            last[i] = n - 1;
            longest = Math.max(longest, lengths[i]);
        }
        int[] packed = new int[n], packedRoutes = new int[n];
        for (int i = 0; i < b; i++) {
            System.arraycopy(ids[i], 0, packed, (int) starts[i], lengths[i]);
            System.arraycopy(routes[i], 0, packedRoutes, (int) starts[i], lengths[i]);
        }
        BatchKvCache.Prefill rows = cache.admit(lengths);
        NDArray h = embed.get(step, new NDIndex("{}", step.create(checkedIds(packed))));
        NDArray[] cs = rotaryTables(step, 0, longest);
        NDArray[] cos = new NDArray[b], sin = new NDArray[b], masks = new NDArray[b];
        for (int i = 0; i < b; i++) {
            NDIndex upTo = new NDIndex(":" + lengths[i]);
            cos[i] = cs[0].get(upTo);
            sin[i] = cs[1].get(upTo);
            masks[i] = lengths[i] == 1 ? null : constant(causalMask(step, 0, lengths[i]));
        }
        RouteGroups groups = mole == null ? null : new RouteGroups(step, packedRoutes, routeTable, adapterCount);
        for (int l = 0; l < layers.length; l++) {
            Attention.KvAppender[] app = new Attention.KvAppender[b];
            for (int i = 0; i < b; i++) {
                final int layer = l, prompt = i;
                app[i] = (k, v) -> rows.append(layer, prompt, k, v);
            }
            h = layers[l].forwardPacked(h, starts, cos, sin, masks, app, TokenRows.of(groups, routing));
        }
        NDArray lastRows = h.get(new NDIndex("{}", step.create(last)));
        return finalNorm.forward(lastRows).matMul(lmHeadT);
    }

    /**
     * One new token for every row of {@code cache}, each at its own position (the row's cached length), attending to its
     * own cached positions only: logits [B, vocab]; every row's cache grows by its token. {@code routes} [B] routes each
     * row's token; the MLP groups the B tokens by route like any other token rows.
     */
    NDArray decodeStep(NDManager step, int[] ids, int[] routes, BatchKvCache cache) {
        int b = ids.length;
        if (b != cache.rows()) throw new IllegalArgumentException(b + " tokens for " + cache.rows() + " cached rows");
        if (routes.length != b) throw new IllegalArgumentException("routes length " + routes.length + " != tokens " + b);
        NDArray h = embed.get(step, new NDIndex("{}", step.create(checkedIds(ids))));
        NDArray[] cs = rotary.tablesAt(step, cache.lengths());
        NDArray cos = constant(cs[0]).reshape(b, 1, config.headDim()), sin = constant(cs[1]).reshape(b, 1, config.headDim());
        BatchKvCache.Step kv = cache.step(step);
        NDArray mask = constant(kv.mask());
        RouteGroups groups = mole == null ? null : new RouteGroups(step, routes, routeTable, adapterCount);
        for (int l = 0; l < layers.length; l++) {
            final int layer = l;
            h = layers[l].forwardDecode(h, cos, sin, mask, (k, v) -> kv.append(layer, k, v), TokenRows.of(groups, routing));
        }
        cache.advance();
        return finalNorm.forward(h).matMul(lmHeadT);
    }

    /**
     * Full pass (no cache) with the whole sequence in route-sorted order: every layer is row-wise except attention, which
     * is order-free given positions and a mask, so the ids go in sorted, rope takes each token's own position, the causal
     * mask compares original positions, and the hidden states are put back in token order once before the final norm. The
     * MLP blocks then see already-grouped tokens and gather nothing: 1 gather per pass instead of 2 per layer.
     */
    private NDArray forwardSorted(NDManager step, long[] idx, RouteGroups groups) {
        int t = idx.length;
        int[] order = groups.sortedOrder();
        long[] sortedIds = new long[t];
        for (int i = 0; i < t; i++) sortedIds[i] = idx[order[i]];
        NDArray h = embed.get(step, new NDIndex("{}", step.create(sortedIds)));
        NDArray[] cs = rotary.tablesAt(step, order);
        cs = new NDArray[] {constant(cs[0]), constant(cs[1])};
        float[] m = new float[t * t];
        for (int i = 0; i < t; i++) {
            for (int j = 0; j < t; j++) if (order[j] > order[i]) m[i * t + j] = Float.NEGATIVE_INFINITY;
        }
        NDArray mask = constant(step.create(m, new Shape(t, t)));
        RouteGroups sorted = new RouteGroups(step, groups.sortedRoutes(), routeTable, adapterCount);
        for (DecoderLayer layer : layers) h = layer.forward(h, cs[0], cs[1], mask, null, TokenRows.of(sorted, routing));
        h = h.get(new NDIndex("{}", groups.invPerm()));
        return finalNorm.forward(h).matMul(lmHeadT);
    }

    /**
     * Several sequences at once (right-padded to the longest, no cache): logits [B, T, vocab] where T is the longest
     * length; rows past a sequence's length are padding (their values are unspecified). Routes may be null (all NL).
     * Padding positions take the PAD route (W_res only) and are masked out as attention keys.
     */
    public NDArray forwardBatch(NDManager step, int[][] ids, int[][] routes) {
        return forwardBatch(step, ids, routes, null);
    }

    /** {@link #forwardBatch} with a learned router's auxiliary losses and choices recorded in {@code log} (may be null). */
    public NDArray forwardBatch(NDManager step, int[][] ids, int[][] routes, RouterLog log) {
        int b = ids.length;
        if (b == 0) throw new IllegalArgumentException("no sequences");
        int t = 0;
        for (int[] s : ids) t = Math.max(t, s.length);
        long[] flat = new long[b * t];
        int[] flatRoutes = new int[b * t];
        float[] mask = new float[b * t * t];
        for (int i = 0; i < b; i++) {
            int len = ids[i].length;
            if (len == 0) throw new IllegalArgumentException("sequence " + i + " is empty");
            if (routes != null && routes[i].length != len) {
                throw new IllegalArgumentException("routes of sequence " + i + " have length " + routes[i].length + " != " + len);
            }
            for (int p = 0; p < t; p++) {
                if (p < len) {
                    int id = ids[i][p];
                    if (id < 0 || id >= config.vocabSize()) throw new IllegalArgumentException("token id " + id + " outside vocab");
                    flat[i * t + p] = id;
                    flatRoutes[i * t + p] = routes == null ? Route.NL : routes[i][p];
                } else {
                    flatRoutes[i * t + p] = Route.PAD;
                }
                for (int j = 0; j < t; j++) {
                    if (j > p || j >= len) mask[(i * t + p) * t + j] = Float.NEGATIVE_INFINITY;
                }
            }
        }
        NDArray h = embed.get(step, new NDIndex("{}", step.create(flat))).reshape(b, t, config.hiddenSize());
        NDArray[] cs = rotaryTables(step, 0, t);
        NDArray m = constant(step.create(mask, new Shape(b, 1, t, t)));
        RouteGroups groups = mole == null ? null : new RouteGroups(step, flatRoutes, routeTable, adapterCount);
        int[] lengths = new int[b];
        for (int i = 0; i < b; i++) lengths[i] = ids[i].length;
        TokenRows rows = new TokenRows(groups, routing, new TokenRows.Sequences(t, lengths, flatRoutes), log);
        for (DecoderLayer layer : layers) h = layer.forwardBatch(h, cs[0], cs[1], m, rows);
        return finalNorm.forward(h).matMul(lmHeadT);
    }

    private static NDArray causalMask(NDManager step, int start, int t) {
        int s = start + t;
        float[] m = new float[t * s];
        for (int i = 0; i < t; i++) {
            for (int j = start + i + 1; j < s; j++) m[i * s + j] = Float.NEGATIVE_INFINITY;
        }
        return step.create(m, new Shape(t, s));
    }

    /** Full recomputation: logits of every position as Java arrays. */
    public float[][] logits(int[] ids, int[] routes) {
        try (NDManager step = manager.newSubManager()) {
            float[] flat = Tensors.floats(forward(step, ids, routes, null));
            int v = config.vocabSize();
            float[][] out = new float[ids.length][v];
            for (int i = 0; i < ids.length; i++) System.arraycopy(flat, i * v, out[i], 0, v);
            return out;
        }
    }

    /** Logits of the last of {@code ids}, extending {@code cache} (which may be null for a full pass). */
    public float[] nextLogits(int[] ids, int[] routes, KvCache cache) {
        try (NDManager step = manager.newSubManager()) {
            NDArray logits = forward(step, ids, routes, cache);
            return Tensors.floats(logits.get(ids.length - 1));
        }
    }

    @Override
    public void close() {
        manager.close();
        tokenizer.close();
    }
}
