package dev.mole.gpu.model.internal;

import ai.djl.ndarray.NDArray;

/** LLaMA RMSNorm: {@code x / sqrt(mean(x^2) + eps) * w}, computed in float32 like Hugging Face's. */
public final class RmsNorm {
    private final NDArray weight;
    private final float eps;

    public RmsNorm(NDArray weight, double eps) {
        this.weight = weight;
        this.eps = (float) eps;
    }

    /** The gain vector, for training all weights (Full-FT) and export. */
    public NDArray weight() {
        return weight;
    }

    public NDArray forward(NDArray x) {
        // add(Number) is safe under autograd (DJL-NOTES.md); only mul/div/pow(Number) are not
        NDArray rms = x.square().mean(new int[] {-1}, true).add(eps).sqrt();
        return x.div(rms).mul(weight);
    }
}
