package dev.mole.gpu.model.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.SingularOps_FDRM;
import org.ejml.dense.row.factory.DecompositionFactory_FDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F32;

/**
 * Randomised top-k SVD (Halko, Martinsson, Tropp 2011, algorithms 4.4 + 5.1): Gaussian projection to k + oversample
 * columns, power iterations re-orthonormalised each half-step (float32 would otherwise lose the small directions), then an
 * exact SVD of the small projected matrix. The big matmuls run on DJL (the model's device); QR and the small SVD on EJML.
 *
 * <p>Because PiSSA subtracts the residual built from the SAME returned factors, init stays exact whatever the accuracy; the
 * accuracy only decides how much of the top-k spectrum the adapters start from.
 */
public final class RandomizedSvd {
    private final int oversample;
    private final int powerIterations;
    private final long seed;

    public RandomizedSvd(int oversample, int powerIterations, long seed) {
        this.oversample = oversample;
        this.powerIterations = powerIterations;
        this.seed = seed;
    }

    /** Oversample 16, 4 power iterations: the settings whose accuracy RandomizedSvdTest states. */
    public static RandomizedSvd defaults() {
        return new RandomizedSvd(16, 4, 20240611L);
    }

    public RandomizedSvd withSeed(long s) {
        return new RandomizedSvd(oversample, powerIterations, s);
    }

    public long seed() {
        return seed;
    }

    /** The settings that decide the result's bits (with the input and k). */
    public String describe() {
        return "Halko-Martinsson-Tropp, oversample " + oversample + ", " + powerIterations
                + " power iterations re-orthonormalised by EJML QR, Gaussian test matrix (SplittableRandom, Box-Muller), seed " + seed;
    }

    public SvdFactors topK(NDManager parent, float[] w, int m, int n, int k) {
        int l = Math.min(Math.min(m, n), k + oversample);
        try (NDManager mm = parent.newSubManager()) {
            NDArray a = mm.create(w, new Shape(m, n));
            NDArray at = a.transpose();
            float[] omega = new float[n * l];
            SplittableRandom rnd = new SplittableRandom(seed);
            for (int i = 0; i < omega.length; i++) omega[i] = (float) gaussian(rnd);
            NDArray q = orthonormal(mm, a.matMul(mm.create(omega, new Shape(n, l))), m, l);
            for (int it = 0; it < powerIterations; it++) {
                NDArray z = orthonormal(mm, at.matMul(q), n, l);
                q = orthonormal(mm, a.matMul(z), m, l);
            }
            // B = Q^T A is small (l x n): its exact SVD gives the factors, U = Q Ub.
            float[] b = q.transpose().matMul(a).toFloatArray();
            SingularValueDecomposition_F32<FMatrixRMaj> svd = DecompositionFactory_FDRM.svd(l, n, true, true, true);
            if (!svd.decompose(new FMatrixRMaj(l, n, true, b))) throw new IllegalStateException("small SVD did not converge");
            FMatrixRMaj ub = svd.getU(null, false), s = svd.getW(null), v = svd.getV(null, false);
            SingularOps_FDRM.descendingOrder(ub, false, s, v, false);
            float[] ubk = new float[l * k];
            for (int i = 0; i < l; i++) for (int j = 0; j < k; j++) ubk[i * k + j] = ub.get(i, j);
            float[] u = q.matMul(mm.create(ubk, new Shape(l, k))).toFloatArray();
            float[] sk = new float[k], vk = new float[n * k];
            for (int j = 0; j < k; j++) sk[j] = s.get(j, j);
            for (int i = 0; i < n; i++) for (int j = 0; j < k; j++) vk[i * k + j] = v.get(i, j);
            return new SvdFactors(m, n, k, u, sk, vk);
        }
    }

    /** Thin Q of a tall rows x cols matrix (EJML Householder QR). */
    private static NDArray orthonormal(NDManager mm, NDArray y, int rows, int cols) {
        QRDecomposition<FMatrixRMaj> qr = DecompositionFactory_FDRM.qr(rows, cols);
        if (!qr.decompose(new FMatrixRMaj(rows, cols, true, y.toFloatArray()))) throw new IllegalStateException("QR failed");
        FMatrixRMaj q = qr.getQ(null, true);
        return mm.create(java.util.Arrays.copyOf(q.data, rows * cols), new Shape(rows, cols));
    }

    private static double gaussian(SplittableRandom r) {
        double u1 = r.nextDouble(), u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** Share of the exact top-k spectral energy captured: sum(s_approx^2) / sum(s_exact[:k]^2), in (0, 1]. */
    public static double spectrumCaptured(SvdFactors approx, float[] exactSingularValues) {
        double ex = 0;
        for (int i = 0; i < approx.k(); i++) ex += (double) exactSingularValues[i] * exactSingularValues[i];
        return approx.energy() / ex;
    }
}
