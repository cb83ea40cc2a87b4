package dev.mole.gpu.model.internal;

import ai.djl.ndarray.NDArray;

/**
 * One LLaMA / Qwen2 block: pre-norm attention and a pre-norm MLP, both residual. The MLP is a {@link FeedForward}: dense
 * as loaded, MoLE-adapted or an upcycled mixture of experts.
 */
public final class DecoderLayer {
    public final RmsNorm inputNorm;
    public final Attention attention;
    public final RmsNorm postNorm;
    private FeedForward mlp;

    public DecoderLayer(RmsNorm inputNorm, Attention attention, RmsNorm postNorm, FeedForward mlp) {
        this.inputNorm = inputNorm;
        this.attention = attention;
        this.postNorm = postNorm;
        this.mlp = mlp;
    }

    public NDArray forward(NDArray h, NDArray cos, NDArray sin, NDArray mask, Attention.KvAppender cache, TokenRows rows) {
        return block(h, x -> attention.forward(x, cos, sin, mask, cache), rows);
    }

    /** Decoding form: h [B, hidden], one new token per row at its own position ({@link Attention#forwardDecode}). */
    public NDArray forwardDecode(NDArray h, NDArray cos, NDArray sin, NDArray mask, Attention.KvAppender cache, TokenRows rows) {
        return block(h, x -> attention.forwardDecode(x, cos, sin, mask, cache), rows);
    }

    /**
     * Packed form: h [n, hidden] holds several sequences back to back (sequence i from row {@code starts[i]}, starts[0]
     * = 0); each attends to itself alone through the single-sequence {@link Attention#forward} with its own positions,
     * mask and cache, and the MLP runs on all n tokens at once (their routes in {@code rows}).
     */
    public NDArray forwardPacked(NDArray h, long[] starts, NDArray[] cos, NDArray[] sin, NDArray[] mask,
                                 Attention.KvAppender[] cache, TokenRows rows) {
        return block(h, x -> {
            ai.djl.ndarray.NDList parts = x.split(java.util.Arrays.copyOfRange(starts, 1, starts.length), 0);
            ai.djl.ndarray.NDList out = new ai.djl.ndarray.NDList(parts.size());
            for (int i = 0; i < parts.size(); i++) out.add(attention.forward(parts.get(i), cos[i], sin[i], mask[i], cache[i]));
            return out.size() == 1 ? out.get(0) : ai.djl.ndarray.NDArrays.concat(out, 0);
        }, rows);
    }

    /** Token rows [n, hidden] through the block; only how attention sees the other tokens differs between the forms. */
    private NDArray block(NDArray h, java.util.function.UnaryOperator<NDArray> attend, TokenRows rows) {
        h = h.add(attend.apply(inputNorm.forward(h)));
        return h.add(mlp.forward(postNorm.forward(h), rows));
    }

    /** Batched form: h [B, T, hidden]; the MLP runs on the flattened [B*T, hidden] tokens with flattened routes. */
    public NDArray forwardBatch(NDArray h, NDArray cos, NDArray sin, NDArray mask, TokenRows rows) {
        ai.djl.ndarray.types.Shape shape = h.getShape();
        h = h.add(attention.forwardBatch(inputNorm.forward(h), cos, sin, mask));
        NDArray x = postNorm.forward(h).reshape(shape.get(0) * shape.get(1), shape.get(2));
        return h.add(mlp.forward(x, rows).reshape(shape));
    }

    public void castTo(ArrayCaster cast) {
        inputNorm.castTo(cast);
        attention.castTo(cast);
        postNorm.castTo(cast);
        mlp.castTo(cast);
    }

    public FeedForward feedForward() {
        return mlp;
    }

    /** Installing adapters or upcycling swaps the MLP; the new one takes over the old one's projections. */
    public void replaceFeedForward(FeedForward f) {
        this.mlp = f;
    }

    /** The base gate, up, down projections ({@link FeedForward#baseProjections}). */
    public MoleLinear[] mlp() {
        return mlp.baseProjections();
    }
}
