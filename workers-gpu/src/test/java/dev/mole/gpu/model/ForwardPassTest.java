package dev.mole.gpu.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class ForwardPassTest {

    static Stream<TinyCheckpointFactory.Options> variants() {
        var d = TinyCheckpointFactory.Options.defaults();
        return Stream.of(
                d,                                              // GQA 4/2, linear rope x4, untied, f32
                d.withHeads(4, 4).withTied(true).withRopeLinearFactor(1.0), // plain MHA, tied head, no scaling
                d.withHeads(8, 2).withDtype("BF16").withShards(3).withSeed(7), // GQA 4 groups, bf16 shards
                d.withDtype("F16").withSeed(9));
    }

    @ParameterizedTest
    @MethodSource("variants")
    void djlMatchesDoublePrecisionReference(TinyCheckpointFactory.Options o) {
        Path dir = TestCheckpoints.get(o);
        ReferenceLlama ref = new ReferenceLlama(dir);
        try (LlamaModel m = LlamaModel.load(dir)) {
            int[] ids = TestCheckpoints.sampleIds(m, TestCheckpoints.TEXT);
            assertThat(ids.length).isGreaterThan(20);
            double[][] want = ref.forward(ids);
            float[][] got = m.logits(ids, null);
            double diff = ReferenceLlama.maxAbsDiff(want, got);
            double scale = 0;
            for (double[] row : want) for (double v : row) scale = Math.max(scale, Math.abs(v));
            System.out.printf("reference check %s: max |logit diff| = %.3e (max |logit| %.3f)%n", o, diff, scale);
            assertThat(scale).isGreaterThan(0.5); // logits are not trivially zero
            assertThat(diff).isLessThan(2e-4);
        }
    }

    @Test
    void kvCacheDecodingEqualsFullRecomputation() {
        try (LlamaModel m = LlamaModel.load(TestCheckpoints.defaults())) {
            int[] ids = TestCheckpoints.sampleIds(m, TestCheckpoints.TEXT);
            float[][] full = m.logits(ids, null);
            double max = 0;
            try (KvCache cache = m.newCache()) {
                int prefill = 7;
                float[][] first;
                try (NDManager step = m.manager().newSubManager()) {
                    float[] flat = m.forward(step, java.util.Arrays.copyOf(ids, prefill), null, cache).toFloatArray();
                    first = new float[prefill][];
                    int v = m.config().vocabSize();
                    for (int i = 0; i < prefill; i++) first[i] = java.util.Arrays.copyOfRange(flat, i * v, (i + 1) * v);
                }
                for (int i = 0; i < prefill; i++) max = Math.max(max, maxDiff(full[i], first[i]));
                int before = m.manager().getManagedArrays().size();
                for (int i = prefill; i < ids.length; i++) {
                    float[] row = m.nextLogits(new int[] {ids[i]}, null, cache);
                    max = Math.max(max, maxDiff(full[i], row));
                }
                assertThat(cache.length()).isEqualTo(ids.length);
                // per-step arrays must not leak into the model's manager
                assertThat(m.manager().getManagedArrays().size()).isEqualTo(before);
            }
            System.out.printf("kv-cache vs full recompute: max |logit diff| = %.3e over %d positions%n", max, ids.length);
            assertThat(max).isLessThan(1e-4);
        }
    }

    static double maxDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }
}
