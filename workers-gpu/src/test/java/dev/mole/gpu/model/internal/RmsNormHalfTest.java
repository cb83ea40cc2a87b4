package dev.mole.gpu.model.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * RMSNorm in fp16 on hidden states as large as real checkpoints have (a few channels in the thousands): the textbook
 * formula squares them past fp16's 65504 and returns zeros; the row-scaled form matches float32, gradients included.
 */
class RmsNormHalfTest {

    static final int ROWS = 6, HIDDEN = 64;

    /** Rows of N(0, 1) with one "massive activation" channel per row, up to 3e4 (still an fp16 number). */
    static float[] hidden(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[ROWS * HIDDEN];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        for (int row = 0; row < ROWS; row++) x[row * HIDDEN + r.nextInt(HIDDEN)] = (float) (row * 6000.0 - 5000.0);
        for (int i = 0; i < HIDDEN; i++) x[i] = 0; // and an all-zero row
        return x;
    }

    /** Output and gradient of sum(norm(x) * probe) w.r.t. x, both as float32 arrays. */
    static float[][] outputAndGradient(DataType type, float[] x, float[] w, float[] probe) {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray xs = m.create(x, new Shape(ROWS, HIDDEN)).toType(type, false);
            NDArray ws = m.create(w).toType(type, false);
            NDArray ps = m.create(probe, new Shape(ROWS, HIDDEN)).toType(type, false);
            xs.setRequiresGradient(true);
            float[] out;
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray y = new RmsNorm(ws, 1e-6).forward(xs);
                out = Tensors.floats(y);
                gc.backward(Tensors.widen(y.mul(ps)).sum());
            }
            JniUtils.setGradMode(false);
            return new float[][] {out, Tensors.floats(xs.getGradient())};
        }
    }

    @Test
    void halfPrecisionNormMatchesFloat32OnMassiveActivations() {
        float[] x = hidden(1), w = new float[HIDDEN], probe = new float[ROWS * HIDDEN];
        SplittableRandom r = new SplittableRandom(2);
        for (int i = 0; i < HIDDEN; i++) w[i] = (float) (0.5 + r.nextDouble());
        for (int i = 0; i < probe.length; i++) probe[i] = (float) r.nextGaussian();
        float[][] full = outputAndGradient(DataType.FLOAT32, x, w, probe);
        float[][] half = outputAndGradient(DataType.FLOAT16, x, w, probe);

        for (int i = 0; i < full[0].length; i++) {
            assertThat(half[0][i]).as("output %d", i).isCloseTo(full[0][i], org.assertj.core.api.Assertions.within(2e-3f * Math.abs(full[0][i]) + 2e-3f));
        }
        double gmax = 0;
        for (float g : full[1]) gmax = Math.max(gmax, Math.abs(g));
        for (int i = 0; i < full[1].length; i++) {
            assertThat(half[1][i]).as("gradient %d", i).isFinite()
                    .isCloseTo(full[1][i], org.assertj.core.api.Assertions.within((float) (1e-2 * gmax)));
        }
        // the all-zero row normalises to zeros, as in float32 (no 0/0)
        for (int i = 0; i < HIDDEN; i++) assertThat(half[0][i]).isZero();
    }

    @Test
    void theTextbookFormulaWouldOverflowInFp16() {
        // guards the test above: without the row scaling these inputs really do break fp16
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray xs = m.create(hidden(1), new Shape(ROWS, HIDDEN)).toType(DataType.FLOAT16, false);
            NDArray meanSquare = xs.square().mean(new int[] {-1}, true);
            float[] ms = Tensors.floats(meanSquare);
            assertThat(ms[ROWS - 1]).isInfinite();
        }
    }
}
