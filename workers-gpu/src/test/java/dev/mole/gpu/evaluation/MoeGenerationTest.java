package dev.mole.gpu.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mole.contracts.training.MoeSettings;
import dev.mole.gpu.model.BatchGenerator;
import dev.mole.gpu.model.Generation;
import dev.mole.gpu.model.GenerationRequest;
import dev.mole.gpu.model.LlamaModel;
import dev.mole.gpu.model.MultiplMoe;
import dev.mole.gpu.model.Route;
import dev.mole.gpu.model.RoutePolicy;
import dev.mole.gpu.model.StopRule;
import dev.mole.gpu.model.TinyCheckpointFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Evaluation generation of a MultiPL-MoE model: full passes over the sequence so far, greedy, never the KV cache. */
class MoeGenerationTest {

    @Test
    void everyGeneratedTokenIsTheGreedyChoiceOfAFullPassOverTheSequenceSoFar() throws Exception {
        Path dir = TinyCheckpointFactory.write(Files.createTempDirectory("moe-gen"), TinyCheckpointFactory.Options.defaults().withSeed(4));
        try (LlamaModel m = LlamaModel.load(dir)) {
            MultiplMoe.upcycle(m, new MoeSettings(6, 6, 8, 1.0, 4, 0.7, 0.3, 1e-2, 1e-3, MoeSettings.ExpertSize.FULL, 0, 0), 2L);
            int[] prompt = {0, 5, 9, 17, 3, 22, 40, 41, 7, 8, 9, 10, 11};
            var request = new GenerationRequest("t", prompt, Route.fill(prompt.length, Route.NL), RoutePolicy.automated(), "", 12, StopRule.NEVER);
            List<Generation> out = GenerationActivitiesImpl.recomputing(m, List.of(request, request), n -> {});
            assertThat(out).hasSize(2);
            int[] tokens = out.get(0).tokens();
            assertThat(tokens).isNotEmpty().isEqualTo(out.get(1).tokens());
            for (int i = 0; i < tokens.length; i++) {
                int[] seq = Arrays.copyOf(prompt, prompt.length + i);
                System.arraycopy(tokens, 0, seq, prompt.length, i);
                float[][] logits = m.logits(seq, null);
                float[] last = logits[seq.length - 1];
                int best = 0;
                for (int v = 1; v < last.length; v++) if (last[v] > last[best]) best = v;
                assertThat(tokens[i]).as("token %d", i).isEqualTo(best);
            }
            // the cached batch decoder refuses the model rather than decode it wrongly
            assertThatThrownBy(() -> new BatchGenerator(m, 4).generate(List.of(request))).hasStackTraceContaining("routes whole sequences");
        }
    }
}
