package dev.mole.gpu.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.mole.contracts.language.Language;
import dev.mole.contracts.training.MoeSettings;
import dev.mole.gpu.model.internal.RouterLog;
import dev.mole.gpu.training.internal.AutogradScope;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** MultiPL-MoE on the tiny base: upcycling, batch independence of values, auxiliary losses and gradients, bad input. */
class MultiplMoeTest {

    static final TinyCheckpointFactory.Options OPTS = TinyCheckpointFactory.Options.defaults().withSeed(9);

    /** The paper's routing with a window of 8, so the tiny sequences have several windows each. */
    static MoeSettings small(MoeSettings.ExpertSize size) {
        return new MoeSettings(6, 6, 8, 1.0, 4, 0.7, 0.3, 1e-2, 1e-3, size, size == MoeSettings.ExpertSize.FULL ? 0 : 8,
                size == MoeSettings.ExpertSize.FULL ? 0 : 8);
    }

    @Test
    void upcycledExpertsAreTheDenseMlp() {
        // token level only, weight 1: every expert (and so every choice) is the dense MLP, the model is the base
        int[] ids;
        float[][] base;
        try (LlamaModel m = LlamaModel.load(TestCheckpoints.get(OPTS))) {
            ids = TestCheckpoints.sampleIds(m, TestCheckpoints.TEXT);
            base = m.logits(ids, null);
        }
        for (MoeSettings.ExpertSize size : MoeSettings.ExpertSize.values()) {
            MoeSettings s = small(size);
            MoeSettings tokenOnly = new MoeSettings(s.tokenExperts(), s.segmentExperts(), s.window(), s.capacity(),
                    s.maxExpertsPerSegment(), 1.0, 0.0, s.loadBalanceCoefficient(), s.languagePriorCoefficient(), size,
                    s.expertRank(), s.expertAlpha());
            try (LlamaModel m = LlamaModel.load(TestCheckpoints.get(OPTS))) {
                MultiplMoe.upcycle(m, tokenOnly, 3L);
                float[][] moe = m.logits(ids, null);
                double max = 0;
                for (int p = 0; p < ids.length; p++) for (int v = 0; v < moe[p].length; v++) max = Math.max(max, Math.abs(moe[p][v] - base[p][v]));
                System.out.printf("upcycled %s, token level only: max |logit diff| vs base %.2e%n", size, max);
                assertThat(max).isLessThan(1e-4);
            }
        }
    }

    @Test
    void trainableArraysExcludeTheFrozenExpert() {
        try (LlamaModel m = LlamaModel.load(TestCheckpoints.get(OPTS))) {
            MultiplMoe.upcycle(m, MoeSettings.paper(), 1L);
            Map<String, NDArray> t = MultiplMoe.trainable(m);
            LlamaConfig c = m.config();
            long mlp = 3L * c.hiddenSize() * c.intermediateSize();
            // per layer: router 12 x hidden, 5 token experts and 6 segment experts, each a full MLP copy
            assertThat(MultiplMoe.trainableCount(m)).isEqualTo(c.numLayers() * (12L * c.hiddenSize() + 11 * mlp));
            assertThat(t.keySet()).contains("model.layers.0.mlp.router.weightT", "model.layers.1.mlp.token_experts.4.down_proj.weightT",
                    "model.layers.1.mlp.segment_experts.5.gate_proj.weightT");
            assertThat(t.keySet()).noneMatch(k -> k.contains("token_experts.5"));
            // the frozen expert is the base weight itself, never a trainable array
            NDArray frozenGate = m.weights().get("model.layers.0.mlp.gate_proj.weight");
            assertThat(t.values()).noneMatch(a -> a == frozenGate);
        }
        try (LlamaModel m = LlamaModel.load(TestCheckpoints.get(OPTS))) {
            MultiplMoe.upcycle(m, MoeSettings.lowRank(8), 1L);
            LlamaConfig c = m.config();
            long lora = 8L * (c.hiddenSize() + c.intermediateSize()) * 3;
            assertThat(MultiplMoe.trainableCount(m)).isEqualTo(c.numLayers() * (12L * c.hiddenSize() + 11 * lora));
        }
    }

    @Test
    void aSequenceRoutesTheSameAloneAndInsideAPaddedBatch() {
        for (MoeSettings.ExpertSize size : MoeSettings.ExpertSize.values()) {
            try (LlamaModel m = LlamaModel.load(TestCheckpoints.get(OPTS))) {
                MultiplMoe.upcycle(m, small(size), 5L);
                Map<String, NDArray> params = MultiplMoe.trainable(m);
                perturb(params, 11L);
                int[] all = TestCheckpoints.sampleIds(m, TestCheckpoints.TEXT + "\n" + TestCheckpoints.TEXT);
                int[][] ids = {Arrays.copyOf(all, 37), Arrays.copyOfRange(all, 5, 14), Arrays.copyOfRange(all, 2, 27)};
                int[][] routes = new int[ids.length][];
                for (int i = 0; i < ids.length; i++) {
                    routes[i] = new int[ids[i].length];
                    for (int p = 0; p < routes[i].length; p++) routes[i][p] = p % 3 == 0 ? Route.NL : Route.code(Language.PYTHON);
                }
                // alone, one pass each (gradients accumulate over the three)
                List<float[]> aloneLogits = new ArrayList<>();
                float[] aloneAux = new float[ids.length];
                Map<String, float[]> aloneGrads = grads(params, gc -> {
                    for (int i = 0; i < ids.length; i++) {
                        int q = i;
                        try (NDManager s = m.manager().newSubManager()) {
                            RouterLog log = new RouterLog();
                            NDArray out = m.forward(s, ids[q], routes[q], null, log);
                            aloneLogits.add(out.toFloatArray());
                            aloneAux[q] = log.auxPerSequence().getFloat();
                            gc.backward(weighted(s, out, q).add(log.auxPerSequence().get(0)));
                        }
                    }
                });
                int t = 37;
                float[][] batched = new float[1][];
                float[] batchAux = new float[ids.length];
                Map<String, RouterLog> logs = new LinkedHashMap<>();
                Map<String, float[]> batchGrads = grads(params, gc -> {
                    try (NDManager s = m.manager().newSubManager()) {
                        RouterLog log = new RouterLog();
                        NDArray out = m.forwardBatch(s, ids, routes, log);
                        batched[0] = out.toFloatArray();
                        float[] aux = log.auxPerSequence().toFloatArray();
                        System.arraycopy(aux, 0, batchAux, 0, aux.length);
                        logs.put("batch", log);
                        NDArray loss = null;
                        for (int i = 0; i < ids.length; i++) {
                            NDArray rows = out.get(i).get(new ai.djl.ndarray.index.NDIndex(":" + ids[i].length));
                            NDArray l = weighted(s, rows, i).add(log.auxPerSequence().get(i));
                            loss = loss == null ? l : loss.add(l);
                        }
                        gc.backward(loss);
                    }
                });
                int v = m.config().vocabSize();
                double logitDiff = 0, auxDiff = 0;
                for (int i = 0; i < ids.length; i++) {
                    for (int p = 0; p < ids[i].length; p++) {
                        for (int k = 0; k < v; k++) logitDiff = Math.max(logitDiff, Math.abs(aloneLogits.get(i)[p * v + k] - batched[0][(i * t + p) * v + k]));
                    }
                    auxDiff = Math.max(auxDiff, Math.abs(aloneAux[i] - batchAux[i]));
                }
                double gradDiff = 0, gradMax = 0;
                for (String k : params.keySet()) {
                    gradDiff = Math.max(gradDiff, GroupedRoutingGradientTest.maxDiff(aloneGrads.get(k), batchGrads.get(k)));
                    gradMax = Math.max(gradMax, GroupedRoutingGradientTest.maxAbs(aloneGrads.get(k)));
                }
                double routerGrad = GroupedRoutingGradientTest.maxAbs(aloneGrads.get("model.layers.0.mlp.router.weightT"));
                System.out.printf("MoE %s alone vs padded batch: max |logit diff| %.2e, |aux diff| %.2e (aux %.4f), |grad diff| %.2e "
                        + "(max |grad| %.2e, router %.2e)%n", size, logitDiff, auxDiff, aloneAux[0], gradDiff, gradMax, routerGrad);
                assertThat(logitDiff).isLessThan(1e-4);
                assertThat(auxDiff).isLessThan(1e-6);
                assertThat(aloneAux[0]).isGreaterThan(0f);
                assertThat(gradDiff).isLessThanOrEqualTo(1e-4 * Math.max(1, gradMax));
                assertThat(routerGrad).isGreaterThan(0);
                // both levels routed something, and the statistics name the labels that were there
                RouterLog log = logs.get("batch");
                assertThat(log.tokenChoices()).containsOnlyKeys("nl", "python");
                assertThat(log.segmentChoices()).isNotEmpty();
            }
        }
    }

    @Test
    void badInputFailsBeforeAnythingChanges() {
        assertThatThrownBy(() -> new MoeSettings(1, 6, 64, 1.0, 4, 0.7, 0.3, 1e-2, 1e-3, MoeSettings.ExpertSize.FULL, 0, 0))
                .hasMessageContaining("tokenExperts must be at least 2");
        assertThatThrownBy(() -> new MoeSettings(6, 3, 64, 1.0, 4, 0.7, 0.3, 1e-2, 1e-3, MoeSettings.ExpertSize.FULL, 0, 0))
                .hasMessageContaining("maxExpertsPerSegment must lie in 1..3");
        assertThatThrownBy(() -> new MoeSettings(6, 6, 64, 1.0, 4, 0.7, 0.3, 1e-2, 1e-3, MoeSettings.ExpertSize.LOW_RANK, 0, 8))
                .hasMessageContaining("LOW_RANK experts need expertRank >= 1");
        assertThatThrownBy(() -> MoeSettings.paper().checkMaxLength(1000)).hasMessageContaining("window 64 must divide the maximum sequence length 1000");
        MoeSettings.paper().checkMaxLength(2048);
        try (LlamaModel m = LlamaModel.load(TestCheckpoints.get(OPTS))) {
            assertThatThrownBy(() -> MultiplMoe.upcycle(m, MoeSettings.lowRank(1000), 1L)).hasMessageContaining("exceeds the MLP's projections");
            assertThat(m.moe()).isNull(); // nothing was swapped
            MoleAdapters.install(m, MoleConfig.single(8), SvdMethod.DEFAULT);
            assertThatThrownBy(() -> MultiplMoe.upcycle(m, MoeSettings.paper(), 1L)).hasMessageContaining("MoLE adapters are installed");
        }
        try (LlamaModel m = LlamaModel.load(TestCheckpoints.get(OPTS))) {
            MultiplMoe.upcycle(m, MoeSettings.paper(), 1L);
            assertThatThrownBy(() -> MoleAdapters.install(m, MoleConfig.single(8), SvdMethod.DEFAULT)).hasMessageContaining("adapters go on a dense MLP");
            int[] ids = TestCheckpoints.sampleIds(m, TestCheckpoints.TEXT);
            assertThatThrownBy(() -> m.nextLogits(ids, null, m.newCache())).hasMessageContaining("routes whole sequences");
        }
    }

    private static void perturb(Map<String, NDArray> params, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        for (NDArray p : params.values()) {
            float[] noise = new float[(int) p.size()];
            boolean router = p.getShape().get(1) == 12;
            for (int i = 0; i < noise.length; i++) noise[i] = (float) (rnd.nextGaussian() * (router ? 0.5 : 0.05));
            try (NDArray nz = p.getManager().create(noise, p.getShape())) {
                p.addi(nz);
            }
        }
    }

    /** A fixed random weighting of one sequence's logits rows, so every row carries gradient. */
    private static NDArray weighted(NDManager s, NDArray rows, int sequence) {
        float[] w = new float[(int) rows.size()];
        SplittableRandom rnd = new SplittableRandom(100 + sequence);
        for (int i = 0; i < w.length; i++) w[i] = (float) rnd.nextGaussian();
        return rows.mul(s.create(w, rows.getShape())).sum();
    }

    private static Map<String, float[]> grads(Map<String, NDArray> params, java.util.function.Consumer<GradientCollector> passes) {
        AutogradScope.noGrad();
        for (NDArray p : params.values()) p.setRequiresGradient(true);
        try {
            try (GradientCollector gc = AutogradScope.collect()) {
                passes.accept(gc);
            }
            AutogradScope.noGrad();
            Map<String, float[]> g = new LinkedHashMap<>();
            for (var e : params.entrySet()) {
                try (NDArray grad = e.getValue().getGradient()) {
                    g.put(e.getKey(), grad.toFloatArray());
                    grad.subi(grad);
                }
            }
            return g;
        } finally {
            for (NDArray p : params.values()) p.setRequiresGradient(false);
        }
    }
}
