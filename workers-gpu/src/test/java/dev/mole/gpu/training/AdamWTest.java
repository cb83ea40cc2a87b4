package dev.mole.gpu.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.mole.gpu.training.internal.AutogradScope;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** AdamW against PyTorch's formula computed in Java doubles, and its exported state resuming to the bit. */
class AdamWTest {

    static final float[] INIT = {0.5f, -1.25f, 2.0f, 0.1f, -0.3f, 1.7f};
    static final float[] C = {1.0f, 2.0f, 0.5f, 3.0f, 1.5f, 0.25f};

    /** One accumulation of loss = sum(c * p^2) / 2, whose gradient is c * p. */
    static void backward(NDManager root, NDArray p) {
        try (GradientCollector gc = AutogradScope.collect(); NDManager s = root.newSubManager()) {
            NDArray c = s.create(C, new Shape(2, 3));
            NDArray loss = AutogradScope.view(p, s).square().mul(c).sum();
            gc.backward(AutogradScope.scaleLoss(loss, 0.5));
        }
    }

    static float[] run(int steps, double[] lrs, NDManager root, NDArray p, AdamW opt) {
        for (int t = 0; t < steps; t++) {
            backward(root, p);
            opt.step(lrs[t]);
        }
        return p.toFloatArray();
    }

    @Test
    void matchesTorchAdamWAndResumesExactly() {
        double b1 = 0.9, b2 = 0.95, eps = 1e-6, wd = 0.1;
        double[] lrs = {0.0, 0.05, 0.04, 0.03, 0.02, 0.01};
        // reference: torch.optim.AdamW step, in doubles
        double[] p = new double[6], m = new double[6], v = new double[6];
        for (int i = 0; i < 6; i++) p[i] = INIT[i];
        for (int t = 1; t <= 6; t++) {
            double lr = lrs[t - 1];
            for (int i = 0; i < 6; i++) {
                double g = C[i] * p[i];
                p[i] *= 1 - lr * wd;
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                double denom = Math.sqrt(v[i]) / Math.sqrt(1 - Math.pow(b2, t)) + eps;
                p[i] -= lr / (1 - Math.pow(b1, t)) * m[i] / denom;
            }
        }
        try (NDManager root = NDManager.newBaseManager("PyTorch")) {
            AutogradScope.noGrad();
            NDArray a = root.create(INIT.clone(), new Shape(2, 3));
            a.setRequiresGradient(true);
            float[] straight;
            try (AdamW opt = new AdamW(root, Map.of("p", a), b1, b2, eps, wd)) {
                straight = run(6, lrs, root, a, opt);
            }
            for (int i = 0; i < 6; i++) assertThat((double) straight[i]).isCloseTo(p[i], within(1e-5));
            assertThat(straight[0]).isNotEqualTo(INIT[0]);

            // 3 steps, export, a fresh optimiser and parameter restored from the export, 3 more steps: same bits
            NDArray b = root.create(INIT.clone(), new Shape(2, 3));
            b.setRequiresGradient(true);
            var state = (Map<String, dev.mole.gpu.training.internal.F32Safetensors.Tensor>) null;
            float[] mid;
            long t;
            try (AdamW opt = new AdamW(root, Map.of("p", b), b1, b2, eps, wd)) {
                mid = run(3, lrs, root, b, opt);
                state = opt.exportState();
                t = opt.steps();
            }
            NDArray c = root.create(mid, new Shape(2, 3));
            c.setRequiresGradient(true);
            try (AdamW opt = new AdamW(root, Map.of("p", c), b1, b2, eps, wd)) {
                opt.importState(dev.mole.gpu.training.internal.F32Safetensors.decode(
                        dev.mole.gpu.training.internal.F32Safetensors.encode(state)), t);
                backward(root, c);
                opt.step(lrs[3]);
                backward(root, c);
                opt.step(lrs[4]);
                backward(root, c);
                opt.step(lrs[5]);
            }
            assertThat(c.toFloatArray()).isEqualTo(straight);
        }
    }

    @Test
    void scheduleWarmsUpThenDecaysToItsEnd() {
        LinearWarmupDecay s = LinearWarmupDecay.of(1e-4, 0.05, 0.1, 100); // 5 warm-up steps
        assertThat(s.warmupSteps()).isEqualTo(5);
        assertThat(s.at(0)).isZero();
        assertThat(s.at(1)).isCloseTo(2e-5, within(1e-12));
        assertThat(s.at(5)).isCloseTo(1e-4, within(1e-12));
        assertThat(s.at(50)).isCloseTo(1e-5 + 9e-5 * 50 / 95.0, within(1e-12));
        assertThat(s.at(100)).isCloseTo(1e-5, within(1e-12));
        for (int i = 6; i < 100; i++) assertThat(s.at(i)).isLessThan(s.at(i - 1));
    }
}
