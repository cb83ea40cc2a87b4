package dev.mole.gpu.model.internal;

import ai.djl.ndarray.NDArray;

/**
 * The MLP half of a decoder block on token rows [n, hidden]. Which implementation a layer holds is decided when the model
 * is built: {@link SwiGluMlp} as loaded, {@link MoleMlp} once MoLE / LoRA adapters are installed, {@link MoeMlp} for an
 * upcycled MultiPL-MoE model (docs/architecture.md, "Model core").
 */
public interface FeedForward {

    /** [n, hidden] to [n, hidden]; {@code rows} says what the rows are (routes, sequences) for the kinds that need it. */
    NDArray forward(NDArray x, TokenRows rows);

    /**
     * The base checkpoint's gate, up and down projections as this MLP holds them: the loaded weights (dense), their PiSSA
     * residual with the adapters (MoLE), the frozen always-on expert (MoE, which is the dense MLP unchanged).
     */
    MoleLinear[] baseProjections();

    void castTo(ArrayCaster cast);
}
