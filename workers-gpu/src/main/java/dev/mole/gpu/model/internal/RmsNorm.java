package dev.mole.gpu.model.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** LLaMA RMSNorm: {@code x / sqrt(mean(x^2) + eps) * w}. */
public final class RmsNorm {
    /** The largest finite fp16 value: eps / s^2 is clamped to it. */
    private static final float HALF_MAX = 65504f;
    /** The smallest normal fp16 value: a row of zeros is scaled by it instead of by 0. */
    private static final float HALF_MIN_NORMAL = 6.1035156e-5f;

    private NDArray weight;
    private final float eps;

    public RmsNorm(NDArray weight, double eps) {
        this.weight = weight;
        this.eps = (float) eps;
    }

    /** The gain vector, for training all weights (Full-FT) and export. */
    public NDArray weight() {
        return weight;
    }

    public void castTo(ArrayCaster cast) {
        weight = cast.apply(weight);
    }

    public NDArray forward(NDArray x) {
        if (x.getDataType() == DataType.FLOAT16) return forwardHalf(x);
        // add(Number) is safe under autograd (DJL-NOTES.md); only mul/div/pow(Number) are not
        NDArray rms = x.square().mean(new int[] {-1}, true).add(eps).sqrt();
        return x.div(rms).mul(weight);
    }

    /**
     * Half precision: x^2 overflows fp16 once |x| > 256, which real checkpoints' hidden states reach, and DJL cannot cast
     * up and back inside the graph. So each row is first divided by its own max |x| = s (detached), keeping the squares in
     * [0, 1]: {@code (x/s) / sqrt(mean((x/s)^2) + eps/s^2)} is the same function for any constant s > 0, so its gradient
     * is exact with s held constant.
     */
    private NDArray forwardHalf(NDArray x) {
        NDArray s, correction;
        try (NDArray rowMax = x.stopGradient().toType(DataType.FLOAT32, false).abs().max(new int[] {-1}, true)) {
            NDArray s32 = rowMax.maximum(HALF_MIN_NORMAL);
            s = s32.toType(DataType.FLOAT16, false);
            // Number forms are safe here: s32 is detached, so no graph keeps their scalars (DJL-NOTES.md, edge 1)
            correction = s32.square().pow(-1).mul(eps).minimum(HALF_MAX).toType(DataType.FLOAT16, false);
        }
        NDArray y = x.div(s);
        NDArray rms = y.square().mean(new int[] {-1}, true).add(correction).sqrt();
        return y.div(rms).mul(weight);
    }
}
