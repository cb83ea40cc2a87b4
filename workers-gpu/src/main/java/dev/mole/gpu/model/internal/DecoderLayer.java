package dev.mole.gpu.model.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import dev.mole.gpu.model.RoutingMode;

/** One LLaMA block: pre-norm attention and pre-norm SwiGLU MLP, both residual. Adapters live on gate/up/down only. */
public final class DecoderLayer {
    public final RmsNorm inputNorm;
    public final Attention attention;
    public final RmsNorm postNorm;
    public final MoleLinear gate;
    public final MoleLinear up;
    public final MoleLinear down;

    public DecoderLayer(RmsNorm inputNorm, Attention attention, RmsNorm postNorm, MoleLinear gate, MoleLinear up, MoleLinear down) {
        this.inputNorm = inputNorm;
        this.attention = attention;
        this.postNorm = postNorm;
        this.gate = gate;
        this.up = up;
        this.down = down;
    }

    public NDArray forward(NDArray h, NDArray cos, NDArray sin, NDArray mask, Attention.KvAppender cache,
                           RouteGroups groups, RoutingMode mode) {
        return block(h, x -> attention.forward(x, cos, sin, mask, cache), groups, mode);
    }

    /** Decoding form: h [B, hidden], one new token per row at its own position ({@link Attention#forwardDecode}). */
    public NDArray forwardDecode(NDArray h, NDArray cos, NDArray sin, NDArray mask, Attention.KvAppender cache,
                                 RouteGroups groups, RoutingMode mode) {
        return block(h, x -> attention.forwardDecode(x, cos, sin, mask, cache), groups, mode);
    }

    /**
     * Packed form: h [n, hidden] holds several sequences back to back (sequence i from row {@code starts[i]}, starts[0]
     * = 0); each attends to itself alone through the single-sequence {@link Attention#forward} with its own positions,
     * mask and cache, and the MLP runs on all n tokens at once (their routes in {@code groups}).
     */
    public NDArray forwardPacked(NDArray h, long[] starts, NDArray[] cos, NDArray[] sin, NDArray[] mask,
                                 Attention.KvAppender[] cache, RouteGroups groups, RoutingMode mode) {
        return block(h, x -> {
            ai.djl.ndarray.NDList parts = x.split(java.util.Arrays.copyOfRange(starts, 1, starts.length), 0);
            ai.djl.ndarray.NDList out = new ai.djl.ndarray.NDList(parts.size());
            for (int i = 0; i < parts.size(); i++) out.add(attention.forward(parts.get(i), cos[i], sin[i], mask[i], cache[i]));
            return out.size() == 1 ? out.get(0) : ai.djl.ndarray.NDArrays.concat(out, 0);
        }, groups, mode);
    }

    /** Token rows [n, hidden] through the block; only how attention sees the other tokens differs between the forms. */
    private NDArray block(NDArray h, java.util.function.UnaryOperator<NDArray> attend, RouteGroups groups, RoutingMode mode) {
        h = h.add(attend.apply(inputNorm.forward(h)));
        return h.add(mlp(postNorm.forward(h), groups, mode));
    }

    /** Batched form: h [B, T, hidden]; the MLP runs on the flattened [B*T, hidden] tokens with flattened routes. */
    public NDArray forwardBatch(NDArray h, NDArray cos, NDArray sin, NDArray mask, RouteGroups groups, RoutingMode mode) {
        ai.djl.ndarray.types.Shape shape = h.getShape();
        h = h.add(attention.forwardBatch(inputNorm.forward(h), cos, sin, mask));
        NDArray x = postNorm.forward(h).reshape(shape.get(0) * shape.get(1), shape.get(2));
        return h.add(mlp(x, groups, mode).reshape(shape));
    }

    /**
     * SwiGLU MLP on [n, hidden] tokens. GROUPED: the tokens are put in route-sorted order once on entry (the frozen matmuls
     * and the SwiGLU are row-wise, so order does not matter to them), gate/up/down run their adapters per run of tokens
     * with one adapter set ({@link MoleLinear#forwardSorted}), and the output is put back in token order once: 2 gathers
     * per layer instead of one pair per projection.
     * NAIVE (or no adapters): every projection on the tokens as they are, every adapter masked.
     */
    private NDArray mlp(NDArray x, RouteGroups groups, RoutingMode mode) {
        if (groups != null && mode == RoutingMode.GROUPED) {
            boolean sort = groups.sortNeeded(); // false: every used adapter covers every token, order is irrelevant
            NDArray xs = sort ? x.get(new NDIndex("{}", groups.perm())) : x;
            NDArray act = Tensors.silu(gate.forwardSorted(xs, groups)).mul(up.forwardSorted(xs, groups));
            NDArray out = down.forwardSorted(act, groups);
            return sort ? out.get(new NDIndex("{}", groups.invPerm())) : out;
        }
        NDArray act = Tensors.silu(gate.forward(x, groups)).mul(up.forward(x, groups));
        return down.forward(act, groups);
    }

    public void castTo(ArrayCaster cast) {
        inputNorm.castTo(cast);
        attention.castTo(cast);
        postNorm.castTo(cast);
        for (MoleLinear p : mlp()) p.castTo(cast);
    }

    public MoleLinear[] mlp() {
        return new MoleLinear[] {gate, up, down};
    }
}
