package dev.mole.gpu.model.internal;

import ai.djl.ndarray.NDArray;

/** Grouped-query causal self-attention (LLaMA): q heads share k/v heads in groups of {@code heads / kvHeads}. */
public final class Attention {
    private NDArray qT, kT, vT, oT;
    private final int heads, kvHeads, headDim;
    private final NDArray invSqrtDim;

    public Attention(NDArray qT, NDArray kT, NDArray vT, NDArray oT, int heads, int kvHeads, int headDim) {
        this.qT = qT;
        this.kT = kT;
        this.vT = vT;
        this.oT = oT;
        this.heads = heads;
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        this.invSqrtDim = Tensors.scalar(qT.getManager(), 1.0 / Math.sqrt(headDim));
    }

    /** The four projection weights as stored ([in, out]: q, k, v, o), for training all weights (Full-FT) and export. */
    public NDArray[] weights() {
        return new NDArray[] {qT, kT, vT, oT};
    }

    public void castTo(ArrayCaster cast) {
        qT = cast.apply(qT);
        kT = cast.apply(kT);
        vT = cast.apply(vT);
        oT = cast.apply(oT);
    }

    /** Appends a step's k/v to a cache and returns the k/v to attend to (see each form for the shapes). */
    public interface KvAppender {
        NDArray[] append(NDArray k, NDArray v);
    }

    /**
     * @param x [T, hidden]
     * @param mask additive [T, S] causal mask, or null when T == 1 (one new token sees everything cached)
     * @param cache appends this step's k/v and returns all of them; null for a stand-alone full pass
     */
    public NDArray forward(NDArray x, NDArray cos, NDArray sin, NDArray mask, KvAppender cache) {
        long t = x.getShape().get(0);
        NDArray q = x.matMul(qT).reshape(t, heads, headDim).transpose(1, 0, 2);
        NDArray k = x.matMul(kT).reshape(t, kvHeads, headDim).transpose(1, 0, 2);
        NDArray v = x.matMul(vT).reshape(t, kvHeads, headDim).transpose(1, 0, 2);
        q = RotaryEmbedding.apply(q, cos, sin);
        k = RotaryEmbedding.apply(k, cos, sin);
        if (cache != null) {
            NDArray[] kv = cache.append(k, v);
            // views owned by this step, so ops below never attach results to the cache's manager
            k = Tensors.viewIn(kv[0], q.getManager());
            v = Tensors.viewIn(kv[1], q.getManager());
        }
        int groups = heads / kvHeads;
        if (groups > 1) {
            // q head h reads kv head h / groups (Hugging Face's repeat_kv): repeat_interleave along the head axis
            k = k.repeat(0, groups);
            v = v.repeat(0, groups);
        }
        NDArray scores = Tensors.scale(q.matMul(k.transpose(0, 2, 1)), invSqrtDim);
        if (mask != null) scores = scores.add(mask);
        NDArray out = scores.softmax(-1).matMul(v);
        return out.transpose(1, 0, 2).reshape(t, (long) heads * headDim).matMul(oT);
    }

    /**
     * Decoding form: one new token per row, each row at its own position. x [B, hidden]; cos/sin [B, 1, headDim] (each
     * row's position); the cache takes k/v [B, kvHeads, headDim] and returns [B, kvHeads, S, headDim] covering every row's
     * positions; mask additive [B, 1, 1, S] hides the positions past each row's own. Returns [B, hidden].
     * The q heads of a kv head are grouped on their own axis ([B, kvHeads, groups, headDim]; q head h reads kv head
     * h / groups as in {@link #forward}) so the cached k/v are read where they lie, not repeated per group every step.
     */
    public NDArray forwardDecode(NDArray x, NDArray cos, NDArray sin, NDArray mask, KvAppender cache) {
        long b = x.getShape().get(0);
        NDArray q = RotaryEmbedding.apply(x.matMul(qT).reshape(b, heads, headDim), cos, sin);
        NDArray k = RotaryEmbedding.apply(x.matMul(kT).reshape(b, kvHeads, headDim), cos, sin);
        NDArray v = x.matMul(vT).reshape(b, kvHeads, headDim);
        NDArray[] kv = cache.append(k, v);
        NDArray grouped = q.reshape(b, kvHeads, heads / kvHeads, headDim);
        NDArray scores = Tensors.scale(grouped.matMul(kv[0].transpose(0, 1, 3, 2)), invSqrtDim).add(mask);
        NDArray out = scores.softmax(-1).matMul(kv[1]);
        return out.reshape(b, (long) heads * headDim).matMul(oT);
    }

    /**
     * Batched form, no cache: x [B, T, hidden], mask additive [B, 1, T, T] (causal and key padding), returns [B, T, hidden].
     */
    public NDArray forwardBatch(NDArray x, NDArray cos, NDArray sin, NDArray mask) {
        long b = x.getShape().get(0), t = x.getShape().get(1);
        NDArray q = x.matMul(qT).reshape(b, t, heads, headDim).transpose(0, 2, 1, 3);
        NDArray k = x.matMul(kT).reshape(b, t, kvHeads, headDim).transpose(0, 2, 1, 3);
        NDArray v = x.matMul(vT).reshape(b, t, kvHeads, headDim).transpose(0, 2, 1, 3);
        q = RotaryEmbedding.apply(q, cos, sin);
        k = RotaryEmbedding.apply(k, cos, sin);
        int groups = heads / kvHeads;
        if (groups > 1) {
            k = k.repeat(1, groups);
            v = v.repeat(1, groups);
        }
        NDArray scores = Tensors.scale(q.matMul(k.transpose(0, 1, 3, 2)), invSqrtDim).add(mask);
        NDArray out = scores.softmax(-1).matMul(v);
        return out.transpose(0, 2, 1, 3).reshape(b, t, (long) heads * headDim).matMul(oT);
    }
}
