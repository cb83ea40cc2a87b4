package dev.mole.gpu.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mole.contracts.language.Language;
import dev.mole.contracts.training.AdapterManifest;
import dev.mole.gpu.model.Generator;
import dev.mole.gpu.model.LlamaModel;
import dev.mole.gpu.model.ModelOptions;
import dev.mole.gpu.model.MoleConfig;
import dev.mole.gpu.model.RecordTokenizer;
import dev.mole.gpu.model.Route;
import dev.mole.gpu.model.RoutePolicy;
import dev.mole.gpu.model.TokenizedSample;
import dev.mole.contracts.training.TrainingMethod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A downstream client that downloaded only the Python expert (a registry download plan: manifest, residual factors,
 * shared, nl, expert_python) computes exactly what the whole trained model computes on Python-routed and NL tokens.
 */
class ChosenExpertsTest {

    @Test
    void aClientHoldingOnlyThePythonExpertReproducesTheTrainedModelOnPythonAndNlTokens(@TempDir Path out, @TempDir Path client) throws Exception {
        List<float[][]> trained = new ArrayList<>();
        List<TokenizedSample> samples = new ArrayList<>();
        FineTuner.run(ExportTest.job(TrainingMethod.MOLE, MoleConfig.mole(48, 16)), null, null, out, m -> {
            TokenizedSample s = ExportTest.sample(m); // NL prompt, a Python block, prose
            samples.add(s);
            trained.add(m.logits(s.ids(), s.routes()));
            samples.add(RecordTokenizer.forModel(m, 256).tokenize(TrainingFixtures.record(1, Language.RUST, new SplittableRandom(6)).record()).orElseThrow());
        });
        for (String f : List.of(AdapterManifest.FILE, "base-residual-factors.safetensors", "adapter-shared.safetensors",
                "adapter-nl.safetensors", "adapter-expert_python.safetensors")) {
            Files.copy(out.resolve(f), client.resolve(f));
        }
        TokenizedSample python = samples.get(0), rust = samples.get(1);
        assertThat(python.routes()).contains(Route.NL, Route.code(Language.PYTHON));
        assertThat(java.util.Arrays.stream(python.routes()).boxed().toList())
                .allMatch(r -> r == Route.NL || r == Route.code(Language.PYTHON) || r == Route.PAD);

        try (LlamaModel whole = TrainedModels.load(TrainingFixtures.base(), out, ModelOptions.defaults(), null);
             LlamaModel partial = TrainedModels.loadExperts(TrainingFixtures.base(), client, ModelOptions.defaults(), Set.of(Language.PYTHON))) {
            float[][] w = whole.logits(python.ids(), python.routes()), p = partial.logits(python.ids(), python.routes());
            assertThat(p).as("bit for bit the whole model's logits").isDeepEqualTo(w);
            assertThat(ExportTest.maxDiff(trained.get(0), p)).as("and the trained model's, up to the reload's rounding").isLessThan(1e-5);
            // the test can tell: on Rust tokens the missing expert shows
            assertThat(ExportTest.maxDiff(whole.logits(rust.ids(), rust.routes()), partial.logits(rust.ids(), rust.routes()))).isGreaterThan(1e-4);

            // generation in automated routing mode: the same tokens for as long as they are routed to NL or Python
            Generator.Result gw = new Generator(whole).answer("Write a function in python.", RoutePolicy.automated(), 24, (t, d, r) -> {});
            Generator.Result gp = new Generator(partial).answer("Write a function in python.", RoutePolicy.automated(), 24, (t, d, r) -> {});
            int same = 0;
            while (same < gw.tokens().length && (gw.routes()[same] == Route.NL || gw.routes()[same] == Route.code(Language.PYTHON))) same++;
            System.out.println("automated routing: " + same + " of " + gw.tokens().length + " generated tokens routed to NL or Python; text: " + gw.text());
            assertThat(same).isPositive();
            assertThat(java.util.Arrays.copyOf(gp.tokens(), Math.min(same, gp.tokens().length)))
                    .containsExactly(java.util.Arrays.copyOf(gw.tokens(), same));
        }
        Files.delete(client.resolve("adapter-nl.safetensors"));
        assertThatThrownBy(() -> TrainedModels.loadExperts(TrainingFixtures.base(), client, ModelOptions.defaults(), Set.of(Language.PYTHON)))
                .hasMessageContaining("lacks adapter-nl.safetensors");
    }
}
