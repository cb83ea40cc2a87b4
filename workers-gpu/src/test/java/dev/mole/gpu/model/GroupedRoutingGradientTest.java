package dev.mole.gpu.model;

import dev.mole.contracts.language.Language;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.mole.gpu.training.AdapterParameters;
import dev.mole.gpu.training.internal.AutogradScope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Grouped routing (route-sorted tokens, runs of one adapter set, fused adapter pairs) against the NAIVE masked form, for
 * values AND the gradients of every adapter array: what training depends on. Routes cover several runs, runs without any
 * adapter (padding), NL only, one language only, and a batch with padding.
 */
class GroupedRoutingGradientTest {

    static final TinyCheckpointFactory.Options OPTS = TinyCheckpointFactory.Options.defaults().withSize(128, 2, 256).withSeed(5);

    static Stream<MoleConfig> layouts() {
        return Stream.of(MoleConfig.mole(48, 16), MoleConfig.mole(48, 16).withLayout(MoleConfig.Layout.NL_EXPERT),
                MoleConfig.single(64));
    }

    /** Named route patterns over n tokens. */
    static Map<String, int[]> routings(int n) {
        Map<String, int[]> r = new LinkedHashMap<>();
        int[] mixed = new int[n], padded = new int[n], typical = new int[n];
        for (int i = 0; i < n; i++) {
            mixed[i] = i % 3 == 0 ? Route.NL : Route.code(Language.values()[i % 8]);
            padded[i] = i % 5 == 4 ? Route.PAD : mixed[i];
            typical[i] = i < n / 3 || i > n - 3 ? Route.NL : Route.code(Language.PYTHON); // prose, a code block, prose
        }
        r.put("mixed languages and NL", mixed);
        r.put("mixed with padding", padded);
        r.put("NL then one language then NL", typical);
        r.put("NL only", Route.fill(n, Route.NL));
        r.put("one language only", Route.fill(n, Route.code(Language.RUST)));
        r.put("padding only", Route.fill(n, Route.PAD));
        return r;
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void groupedEqualsNaiveInValuesAndGradients(MoleConfig cfg) {
        try (LlamaModel m = LlamaModel.load(TestCheckpoints.get(OPTS))) {
            MoleAdapters.install(m, cfg);
            int seed = 90;
            for (var spec : m.mole().adapters()) MoleInitTest.perturb(m, spec.name(), seed++);
            int[] ids = TestCheckpoints.sampleIds(m, TestCheckpoints.TEXT);
            for (var e : routings(ids.length).entrySet()) {
                compare(m, cfg + " / " + e.getKey(), (step, unused) -> m.forward(step, ids, e.getValue(), null));
            }
            // a right-padded batch: padding rows form a run with no adapter at the end of the sorted order
            int[][] batchIds = {java.util.Arrays.copyOf(ids, 20), java.util.Arrays.copyOfRange(ids, 4, 11)};
            int[] r0 = routings(ids.length).get("mixed languages and NL");
            int[][] batchRoutes = {java.util.Arrays.copyOf(r0, 20), java.util.Arrays.copyOfRange(r0, 4, 11)};
            compare(m, cfg + " / padded batch", (step, unused) -> m.forwardBatch(step, batchIds, batchRoutes));
        }
    }

    /** Runs the same loss under NAIVE and GROUPED routing; logits within 1e-4, every adapter gradient within 1e-4 (relative). */
    private static void compare(LlamaModel m, String what, BiFunction<NDManager, Void, NDArray> forward) {
        boolean paddingOnly = what.endsWith("padding only");
        Map<String, NDArray> params = AdapterParameters.of(m);
        List<float[]> logits = new ArrayList<>();
        List<Map<String, float[]>> grads = new ArrayList<>();
        for (RoutingMode mode : List.of(RoutingMode.NAIVE, RoutingMode.GROUPED)) {
            m.setRouting(mode);
            AutogradScope.noGrad();
            for (NDArray p : params.values()) p.setRequiresGradient(true);
            try {
                try (GradientCollector gc = AutogradScope.collect(); NDManager step = m.manager().newSubManager()) {
                    NDArray out = forward.apply(step, null);
                    // a fixed random weighting, so every logit (and so every row and adapter) carries gradient
                    float[] w = new float[(int) out.size()];
                    SplittableRandom rnd = new SplittableRandom(3);
                    for (int i = 0; i < w.length; i++) w[i] = (float) rnd.nextGaussian();
                    NDArray loss = out.mul(step.create(w, out.getShape())).sum();
                    logits.add(out.toFloatArray());
                    // grouped routing over padding only has no adapter in the graph: nothing to differentiate (naive: zeros)
                    if (mode == RoutingMode.NAIVE || !paddingOnly) gc.backward(loss);
                }
                AutogradScope.noGrad();
                Map<String, float[]> g = new LinkedHashMap<>();
                for (var e : params.entrySet()) {
                    try (NDArray grad = e.getValue().getGradient()) {
                        g.put(e.getKey(), grad == null ? new float[(int) e.getValue().size()] : grad.toFloatArray());
                        if (grad != null) grad.subi(grad); // zero in place, so the next mode starts from zero
                    }
                }
                grads.add(g);
            } finally {
                for (NDArray p : params.values()) p.setRequiresGradient(false);
            }
        }
        double logitDiff = maxDiff(logits.get(0), logits.get(1));
        double gradDiff = 0, gradMax = 0;
        for (String k : params.keySet()) {
            gradDiff = Math.max(gradDiff, maxDiff(grads.get(0).get(k), grads.get(1).get(k)));
            gradMax = Math.max(gradMax, maxAbs(grads.get(0).get(k)));
        }
        System.out.printf("grouped vs naive, %s: max |logit diff| %.2e, max |grad diff| %.2e (max |grad| %.2e)%n",
                what, logitDiff, gradDiff, gradMax);
        assertThat(logitDiff).as(what + " logits").isLessThan(1e-4);
        assertThat(gradDiff).as(what + " gradients").isLessThanOrEqualTo(1e-4 * Math.max(1, gradMax));
        if (!paddingOnly) assertThat(gradMax).as(what + " gradients are not all zero").isGreaterThan(1e-3);
    }

    static double maxDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }

    static double maxAbs(float[] a) {
        double m = 0;
        for (float x : a) m = Math.max(m, Math.abs(x));
        return m;
    }
}
