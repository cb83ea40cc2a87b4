package dev.mole.gpu.model.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embedding in Hugging Face's half-rotation layout: {@code x*cos + rotate_half(x)*sin}, where the cos/sin
 * rows are {@code cat(freqs, freqs)}. Linear rope scaling (DeepSeek-Coder: factor 4) divides positions by the factor.
 */
public final class RotaryEmbedding {
    private final int headDim;
    private final double[] invFreq;
    private final double linearFactor;

    public RotaryEmbedding(int headDim, double theta, double linearFactor) {
        this.headDim = headDim;
        this.linearFactor = linearFactor;
        invFreq = new double[headDim / 2];
        for (int i = 0; i < headDim / 2; i++) invFreq[i] = 1.0 / Math.pow(theta, (2.0 * i) / headDim);
    }

    /** cos and sin tables [T, headDim] for positions start..start+T-1, created in {@code step}. */
    public NDArray[] tables(NDManager step, int start, int length) {
        int[] positions = new int[length];
        for (int t = 0; t < length; t++) positions[t] = start + t;
        return tablesAt(step, positions);
    }

    /** cos and sin tables [T, headDim] for the given positions, in that order (tokens may be permuted). */
    public NDArray[] tablesAt(NDManager step, int[] positions) {
        int length = positions.length;
        float[] cos = new float[length * headDim];
        float[] sin = new float[length * headDim];
        int half = headDim / 2;
        for (int t = 0; t < length; t++) {
            double pos = positions[t] / linearFactor;
            for (int i = 0; i < half; i++) {
                double a = pos * invFreq[i];
                float c = (float) Math.cos(a), s = (float) Math.sin(a);
                cos[t * headDim + i] = c;
                cos[t * headDim + i + half] = c;
                sin[t * headDim + i] = s;
                sin[t * headDim + i + half] = s;
            }
        }
        Shape shape = new Shape(length, headDim);
        return new NDArray[] {step.create(cos, shape), step.create(sin, shape)};
    }

    /** Applies the rotation to x [heads, T, headDim]. */
    public static NDArray apply(NDArray x, NDArray cos, NDArray sin) {
        return x.mul(cos).add(Tensors.rotateHalf(x).mul(sin));
    }
}
