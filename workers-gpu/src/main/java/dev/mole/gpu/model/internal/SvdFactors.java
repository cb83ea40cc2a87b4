package dev.mole.gpu.model.internal;

/**
 * Top-k singular triplets of an m x n matrix, descending: {@code W ~ U diag(S) V^T} with U [m, k] and V [n, k],
 * both row-major float32.
 */
public record SvdFactors(int m, int n, int k, float[] u, float[] s, float[] v) {

    /** Sum of squares of the singular values: the spectral energy these factors capture. */
    public double energy() {
        double e = 0;
        for (float x : s) e += (double) x * x;
        return e;
    }
}
