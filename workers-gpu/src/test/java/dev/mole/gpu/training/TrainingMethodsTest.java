package dev.mole.gpu.training;

import dev.mole.contracts.training.AdapterManifest;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import dev.mole.contracts.training.TrainingMethod;
import dev.mole.gpu.model.AdapterInit;
import dev.mole.contracts.language.Language;
import dev.mole.gpu.model.LlamaModel;
import dev.mole.gpu.model.MoleAdapters;
import dev.mole.gpu.model.MoleConfig;
import dev.mole.gpu.model.ModelOptions;
import dev.mole.gpu.model.SvdMethod;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every method on the tiny checkpoint and a small generated dataset: validation loss falls, and only what should train moves. */
class TrainingMethodsTest {

    static final List<Language> LANGS = List.of(Language.PYTHON, Language.RUST, Language.GO);

    static FineTuner.Job job(TrainingMethod method, MoleConfig cfg, int batch, int epochs) {
        return new FineTuner.Job(method, cfg, SvdMethod.EXACT, TrainingFixtures.hyper(batch, epochs), 5L, TrainingFixtures.base(),
                TrainingFixtures.splits(LANGS, 8, 2), "synthetic", ModelOptions.defaults());
    }

    static Stream<Object[]> adapterMethods() {
        return Stream.of(
                new Object[] {TrainingMethod.MOLE, MoleConfig.mole(48, 16)},
                new Object[] {TrainingMethod.MOLE, MoleConfig.mole(32, 32).withInit(AdapterInit.SHARED_LAST)},
                new Object[] {TrainingMethod.MOLE, MoleConfig.mole(56, 8).withLayout(MoleConfig.Layout.NL_EXPERT)},
                new Object[] {TrainingMethod.MOLE, MoleConfig.mole(64, 0).withInit(AdapterInit.STD)},
                new Object[] {TrainingMethod.ALL_LANG, MoleConfig.single(64)});
    }

    @ParameterizedTest
    @MethodSource("adapterMethods")
    void adapterMethodsLowerValidationLossAndLeaveTheBaseBitIdentical(TrainingMethod method, MoleConfig cfg, @TempDir Path out) {
        // the frozen base as it is after install (the residual for PiSSA): training must not change a single bit of it
        Map<String, float[]> before = new LinkedHashMap<>();
        try (LlamaModel m = LlamaModel.load(TrainingFixtures.base())) {
            MoleAdapters.install(m, cfg);
            m.weights().forEach((k, v) -> before.put(k, v.toFloatArray()));
        }
        FineTuner.Job job = job(method, cfg, 4, 3);
        List<Map<String, float[]>> after = new ArrayList<>();
        // train through the loop directly once to snapshot the frozen weights of the very model that trained
        try (LlamaModel m = LlamaModel.load(TrainingFixtures.base())) {
            MoleAdapters.install(m, cfg);
            TrainingLoop loop = new TrainingLoop(m, AdapterParameters.of(m), job.hyper(), job.seed(),
                    FineTuner.tokenize(m, job.data().train(), 256), FineTuner.tokenize(m, job.data().validation(), 256), null, null, "t");
            TrainingLoop.Result r = loop.run();
            System.out.printf("%s %s/%d+%d/%s: %d steps, val %s -> %s%n", method, cfg.layout(), cfg.sharedRank(), cfg.expertRank(),
                    cfg.init(), r.steps(), r.initialValidation().get("all"), r.finalValidation().get("all"));
            assertThat(r.steps()).isEqualTo(3 * 6); // 24 records / batch 4 x 3 epochs
            for (Language l : LANGS) assertThat(r.finalValidation().get(l.id())).isLessThan(r.initialValidation().get(l.id()));
            assertThat(r.finalValidation().get("all")).isLessThan(r.initialValidation().get("all") * 0.9);
            Map<String, float[]> w = new LinkedHashMap<>();
            m.weights().forEach((k, v) -> w.put(k, v.toFloatArray()));
            after.add(w);
        }
        assertThat(after.get(0).keySet()).isEqualTo(before.keySet());
        before.forEach((k, v) -> assertThat(after.get(0).get(k)).as(k).isEqualTo(v));
    }

    @Test
    void perLanguageLoraTrainsEachLanguageOnItsOwnSubset(@TempDir Path out) {
        FineTuner.Outcome o = FineTuner.run(job(TrainingMethod.PER_LANG, MoleConfig.single(64), 4, 3), FineTuner.Stores.NONE, null, out);
        assertThat(o.finalValidation().keySet()).containsExactly("go", "python", "rust");
        for (Language l : LANGS) {
            Map<String, Double> init = o.initialValidation().get(l.id()), fin = o.finalValidation().get(l.id());
            // each sub-run validates on its own language only
            assertThat(fin.keySet()).containsExactlyInAnyOrder(l.id(), "all");
            assertThat(fin.get(l.id())).isLessThan(init.get(l.id()));
        }
        assertThat(o.steps()).isEqualTo(3 * 3 * 2); // 8 records per language / batch 4 = 2 steps x 3 epochs x 3 languages
        assertThat(o.manifest().adapters()).extracting(AdapterManifest.Adapter::language).containsExactly("go", "python", "rust");
    }

    @Test
    void fullFinetuningTrainsEveryWeight(@TempDir Path out) {
        FineTuner.Outcome o = FineTuner.run(job(TrainingMethod.FULL_FT, null, 4, 2), FineTuner.Stores.NONE, null, out);
        Map<String, Double> init = o.initialValidation().get("main"), fin = o.finalValidation().get("main");
        assertThat(fin.get("all")).isLessThan(init.get("all"));
        try (LlamaModel base = LlamaModel.load(TrainingFixtures.base()); LlamaModel trained = TrainedModels.load(TrainingFixtures.base(), out, ModelOptions.defaults(), null)) {
            Map<String, NDArray> bw = base.weights(), tw = trained.weights();
            assertThat(tw.keySet()).isEqualTo(bw.keySet());
            for (String k : bw.keySet()) {
                // the output is a Hugging Face checkpoint again (orientation restored), and every weight moved
                assertThat(tw.get(k).getShape()).as(k).isEqualTo(bw.get(k).getShape());
                assertThat(tw.get(k).toFloatArray()).as(k).isNotEqualTo(bw.get(k).toFloatArray());
            }
        }
    }

    @Test
    void noFinetuningOnlyEvaluates(@TempDir Path out) {
        FineTuner.Outcome o = FineTuner.run(job(TrainingMethod.NO_FT, null, 4, 1), FineTuner.Stores.NONE, null, out);
        assertThat(o.steps()).isZero();
        assertThat(o.finalValidation().get("main").keySet()).containsExactly("all", "go", "python", "rust");
        assertThat(o.finalValidation().get("main").get("all")).isGreaterThan(1.0); // a random model is far from the data
    }

    @Test
    void expertsIdenticalAtInitDivergeOnlyThroughRouting() {
        // data of two languages only: their experts must move, the six others must stay bit-identical to their init
        FineTuner.Job job = new FineTuner.Job(TrainingMethod.MOLE, MoleConfig.mole(48, 16), SvdMethod.EXACT, TrainingFixtures.hyper(4, 2), 5L,
                TrainingFixtures.base(), TrainingFixtures.splits(List.of(Language.PYTHON, Language.RUST), 8, 1), "synthetic", ModelOptions.defaults());
        try (LlamaModel m = LlamaModel.load(TrainingFixtures.base())) {
            MoleAdapters.install(m, job.adapters());
            Map<String, float[]> init = snapshot(AdapterParameters.of(m));
            // identical at init: every expert starts from the same SVD slice
            for (Language l : Language.values()) {
                assertThat(init.get("model.layers.0.mlp.up_proj.expert_" + l.id() + ".aT")).isEqualTo(init.get("model.layers.0.mlp.up_proj.expert_c.aT"));
            }
            new TrainingLoop(m, AdapterParameters.of(m), job.hyper(), job.seed(), FineTuner.tokenize(m, job.data().train(), 256),
                    List.of(), null, null, "t").run();
            Map<String, float[]> now = snapshot(AdapterParameters.of(m));
            for (String k : init.keySet()) {
                boolean seen = k.contains(".expert_python.") || k.contains(".expert_rust.") || k.contains(".shared.") || k.contains(".nl.");
                if (seen) assertThat(now.get(k)).as(k + " trained").isNotEqualTo(init.get(k));
                else assertThat(now.get(k)).as(k + " untouched").isEqualTo(init.get(k));
            }
            // and the two trained experts went different ways
            assertThat(now.get("model.layers.1.mlp.down_proj.expert_python.bT")).isNotEqualTo(now.get("model.layers.1.mlp.down_proj.expert_rust.bT"));
        }
    }

    static Map<String, float[]> snapshot(Map<String, NDArray> arrays) {
        Map<String, float[]> out = new LinkedHashMap<>();
        arrays.forEach((k, v) -> out.put(k, v.toFloatArray()));
        return out;
    }
}
