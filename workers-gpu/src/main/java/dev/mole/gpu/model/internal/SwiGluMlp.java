package dev.mole.gpu.model.internal;

import ai.djl.ndarray.NDArray;

/** The dense LLaMA / Qwen2 MLP as loaded: {@code down(silu(gate x) * up x)}, no adapters, no routing. */
public final class SwiGluMlp implements FeedForward {
    private final MoleLinear gate, up, down;

    public SwiGluMlp(MoleLinear gate, MoleLinear up, MoleLinear down) {
        this.gate = gate;
        this.up = up;
        this.down = down;
    }

    @Override
    public NDArray forward(NDArray x, TokenRows rows) {
        return down.forward(Tensors.silu(gate.forward(x, null)).mul(up.forward(x, null)), null);
    }

    @Override
    public MoleLinear[] baseProjections() {
        return new MoleLinear[] {gate, up, down};
    }

    @Override
    public void castTo(ArrayCaster cast) {
        for (MoleLinear p : baseProjections()) p.castTo(cast);
    }
}
