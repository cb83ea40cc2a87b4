package dev.mole.gpu.model;

import dev.mole.contracts.language.Language;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A right-padded batch gives, for every real position, the logits of the sequence run alone. */
class BatchForwardTest {

    @Test
    void batchedLogitsEqualPerSequenceLogits() {
        try (LlamaModel m = LlamaModel.load(TestCheckpoints.defaults())) {
            MoleAdapters.install(m, MoleConfig.mole(16, 8));
            int seed = 70;
            for (var spec : m.mole().adapters()) MoleInitTest.perturb(m, spec.name(), seed++);
            int[] all = TestCheckpoints.sampleIds(m, TestCheckpoints.TEXT);
            int[][] ids = {Arrays.copyOf(all, 30), Arrays.copyOfRange(all, 3, 12), Arrays.copyOf(all, 1)};
            int[][] routes = new int[ids.length][];
            for (int i = 0; i < ids.length; i++) {
                routes[i] = new int[ids[i].length];
                for (int p = 0; p < routes[i].length; p++) {
                    routes[i][p] = (p + i) % 4 == 0 ? Route.NL : Route.code(Language.values()[(p * 3 + i) % 8]);
                }
            }
            int v = m.config().vocabSize(), t = 30;
            for (RoutingMode mode : RoutingMode.values()) {
                m.setRouting(mode);
                float[] batched;
                try (NDManager step = m.manager().newSubManager()) {
                    NDArray out = m.forwardBatch(step, ids, routes);
                    assertThat(out.getShape().getShape()).containsExactly(3, t, v);
                    batched = out.toFloatArray();
                }
                double max = 0;
                for (int i = 0; i < ids.length; i++) {
                    float[][] alone = m.logits(ids[i], routes[i]);
                    for (int p = 0; p < ids[i].length; p++) {
                        for (int k = 0; k < v; k++) max = Math.max(max, Math.abs(alone[p][k] - batched[(i * t + p) * v + k]));
                    }
                }
                System.out.printf("batched (%s) vs per-sequence: max |logit diff| = %.3e%n", mode, max);
                assertThat(max).isLessThan(1e-4);
            }
        }
    }
}
