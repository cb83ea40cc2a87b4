package dev.mole.gpu.model.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.SplittableRandom;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_FDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;
import org.junit.jupiter.api.Test;

/**
 * Stated accuracy of the randomised top-k SVD (oversample 16, 4 power iterations): on a matrix whose spectrum decays like
 * trained weights (sigma_i ~ (i+1)^-0.5 plus noise) it captures >= 99.5% of the exact top-k spectral energy, and its rank-k
 * reconstruction error is within 1% of the optimal (Eckart-Young) one.
 */
class RandomizedSvdTest {

    static float[] orthonormalColumns(int rows, int cols, SplittableRandom r) {
        float[] g = new float[rows * cols];
        for (int i = 0; i < g.length; i++) g[i] = (float) r.nextGaussian();
        QRDecomposition<FMatrixRMaj> qr = DecompositionFactory_FDRM.qr(rows, cols);
        qr.decompose(new FMatrixRMaj(rows, cols, true, g));
        return java.util.Arrays.copyOf(qr.getQ(null, true).data, rows * cols);
    }

    /** W = U diag(sigma) V^T + small noise, sigma_i = (i+1)^-0.5. */
    static float[] decaying(int m, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int p = Math.min(m, n);
        float[] u = orthonormalColumns(m, p, r), v = orthonormalColumns(n, p, r);
        float[] w = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int c = 0; c < p; c++) s += u[i * p + c] * Math.pow(c + 1, -0.5) * v[j * p + c];
                w[i * n + j] = (float) (s + r.nextGaussian() * 1e-3);
            }
        }
        return w;
    }

    static double residualNorm(float[] w, SvdFactors f) {
        double e = 0;
        for (int i = 0; i < f.m(); i++) {
            for (int j = 0; j < f.n(); j++) {
                double s = 0;
                for (int c = 0; c < f.k(); c++) s += (double) f.u()[i * f.k() + c] * f.s()[c] * f.v()[j * f.k() + c];
                double d = w[i * f.n() + j] - s;
                e += d * d;
            }
        }
        return Math.sqrt(e);
    }

    @Test
    void capturesTheTopKSpectrumOfADecayingMatrix() {
        int m = 320, n = 200, k = 48;
        float[] w = decaying(m, n, 5);
        try (NDManager nd = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            SvdFactors approx = RandomizedSvd.defaults().topK(nd, w, m, n, k);
            SvdFactors exact = ThinSvd.topK(w, m, n, k);
            float[] all = ThinSvd.singularValues(w, m, n);
            double share = RandomizedSvd.spectrumCaptured(approx, all);
            double errRatio = residualNorm(w, approx) / residualNorm(w, exact);
            System.out.printf("randomized SVD %dx%d k=%d: spectrum captured %.5f, residual / optimal residual %.5f%n", m, n, k, share, errRatio);
            assertThat(share).isGreaterThan(0.995).isLessThanOrEqualTo(1.0 + 1e-5);
            assertThat(errRatio).isLessThan(1.01);
            // the exact factors capture all of it, by definition: a check that the measure itself is right
            assertThat(RandomizedSvd.spectrumCaptured(exact, all)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        }
    }

    @Test
    void withoutPowerIterationsAFlatSpectrumIsCapturedWorse() {
        // a measure that cannot tell good from bad would pass anything: a Gaussian matrix with no power iterations must score lower
        int m = 300, n = 200, k = 32;
        SplittableRandom r = new SplittableRandom(9);
        float[] w = new float[m * n];
        for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian();
        float[] all = ThinSvd.singularValues(w, m, n);
        try (NDManager nd = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            double none = RandomizedSvd.spectrumCaptured(new RandomizedSvd(10, 0, 1).topK(nd, w, m, n, k), all);
            double four = RandomizedSvd.spectrumCaptured(new RandomizedSvd(10, 4, 1).topK(nd, w, m, n, k), all);
            System.out.printf("gaussian %dx%d k=%d: captured %.4f (q=0), %.4f (q=4)%n", m, n, k, none, four);
            assertThat(none).isLessThan(four);
            assertThat(four).isGreaterThan(0.9);
        }
    }
}
