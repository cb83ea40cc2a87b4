package dev.mole.gpu.model.internal;

import ai.djl.ndarray.NDArray;
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
        h = h.add(attention.forward(inputNorm.forward(h), cos, sin, mask, cache));
        NDArray x = postNorm.forward(h);
        NDArray act = Tensors.silu(gate.forward(x, groups, mode)).mul(up.forward(x, groups, mode));
        return h.add(down.forward(act, groups, mode));
    }

    /** Batched form: h [B, T, hidden]; the MLP runs on the flattened [B*T, hidden] tokens with flattened routes. */
    public NDArray forwardBatch(NDArray h, NDArray cos, NDArray sin, NDArray mask, RouteGroups groups, RoutingMode mode) {
        ai.djl.ndarray.types.Shape shape = h.getShape();
        h = h.add(attention.forwardBatch(inputNorm.forward(h), cos, sin, mask));
        NDArray x = postNorm.forward(h).reshape(shape.get(0) * shape.get(1), shape.get(2));
        NDArray act = Tensors.silu(gate.forward(x, groups, mode)).mul(up.forward(x, groups, mode));
        return h.add(down.forward(act, groups, mode).reshape(shape));
    }

    public MoleLinear[] mlp() {
        return new MoleLinear[] {gate, up, down};
    }
}
