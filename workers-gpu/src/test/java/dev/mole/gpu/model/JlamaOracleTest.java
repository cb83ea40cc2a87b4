package dev.mole.gpu.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tjake.jlama.model.AbstractModel;
import com.github.tjake.jlama.model.ModelSupport;
import com.github.tjake.jlama.safetensors.DType;
import com.github.tjake.jlama.tensor.AbstractTensor;
import com.github.tjake.jlama.tensor.KvBufferCache;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Second independent check: Jlama (another Java LLaMA implementation, test-scoped, pure-Java tensor ops) loads the same
 * tiny checkpoint from disk by itself and must give the same logits as our DJL forward pass.
 */
class JlamaOracleTest {

    static Stream<TinyCheckpointFactory.Options> variants() {
        var d = TinyCheckpointFactory.Options.defaults();
        // Qwen2: q/k/v biases and rope theta 1e6, read by Jlama's own Qwen2 model
        return Stream.of(d, d.withHeads(4, 4).withRopeLinearFactor(1.0).withSeed(5), d.withQwen2().withSeed(8),
                d.withQwen2().withTied(true).withSeed(12));
    }

    @ParameterizedTest
    @MethodSource("variants")
    void djlMatchesJlama(TinyCheckpointFactory.Options o) throws Exception {
        Path dir = TestCheckpoints.get(o);
        float[][] ours;
        int[] ids;
        try (LlamaModel m = LlamaModel.load(dir)) {
            ids = TestCheckpoints.sampleIds(m, TestCheckpoints.TEXT);
            ours = m.logits(ids, null);
        }
        AbstractModel jl = ModelSupport.loadModel(dir.toFile(), DType.F32, DType.F32);
        try (KvBufferCache kv = new KvBufferCache(jl)) {
            AbstractTensor h = jl.batchForward(ids, 0, kv.getEphemeralKvBuffer());
            int vocab = jl.getConfig().vocabularySize;
            AbstractTensor logits = jl.makeDenseTensor(1, vocab);
            double max = 0, scale = 0;
            for (int p = 0; p < ids.length; p++) {
                jl.sample(h.slice(p), 0f, 0f, logits);
                for (int v = 0; v < vocab; v++) {
                    max = Math.max(max, Math.abs(logits.get(0, v) - ours[p][v]));
                    scale = Math.max(scale, Math.abs(ours[p][v]));
                }
            }
            System.out.printf("jlama check %s: max |logit diff| = %.3e (max |logit| %.3f) over %d positions%n", o, max, scale, ids.length);
            assertThat(scale).isGreaterThan(0.5);
            assertThat(max).isLessThan(1e-3);
        } finally {
            jl.close();
        }
    }
}
