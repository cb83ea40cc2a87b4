package dev.mole.gpu.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.mole.contracts.training.TrainingHyperParameters;
import dev.mole.contracts.training.TrainingMethod;
import dev.mole.contracts.language.Language;
import dev.mole.gpu.model.LlamaModel;
import dev.mole.gpu.model.MoleAdapters;
import dev.mole.gpu.model.MoleConfig;
import dev.mole.gpu.model.ModelOptions;
import dev.mole.gpu.model.TokenizedSample;
import dev.mole.gpu.training.internal.AutogradScope;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fp16 training: half-precision compute, fp32 master weights, dynamic loss scaling. This CPU has no fast fp16 matmul, so
 * these runs are tiny; they check the arithmetic, not the speed.
 */
class HalfPrecisionTrainingTest {

    static final DatasetShards.Splits DATA = TrainingFixtures.splits(List.of(Language.PYTHON, Language.RUST, Language.JAVA), 6, 1);
    static final TrainingHyperParameters FP32 = TrainingFixtures.hyper(4, 2).withIntervals(0, 3);
    static final TrainingHyperParameters FP16 = FP32.withPrecision("fp16");

    record Run(TrainingLoop.Result result, Map<String, float[]> adapters, Map<String, float[]> base, DataType typeAfter) {}

    static Run train(TrainingHyperParameters hp, CheckpointStore store, double initialScale, int crashAtStep,
                     java.util.function.Consumer<LlamaModel> beforeTraining) {
        return train(hp, store, initialScale, crashAtStep, beforeTraining, (m, p) -> {}, 0);
    }

    /** @param tokenBudget padded tokens per forward pass: 0 = one sequence per pass, else bucketed batches (a GPU's path) */
    static Run train(TrainingHyperParameters hp, CheckpointStore store, double initialScale, int crashAtStep,
                     java.util.function.Consumer<LlamaModel> beforeTraining,
                     java.util.function.BiConsumer<LlamaModel, dev.mole.contracts.training.TrainingProgress> onStep, int tokenBudget) {
        try (LlamaModel m = LlamaModel.load(TrainingFixtures.base())) {
            MoleAdapters.install(m, MoleConfig.mole(48, 16));
            beforeTraining.accept(m);
            TrainingLoop loop = new TrainingLoop(m, AdapterParameters.of(m), hp, 5L, FineTuner.tokenize(m, DATA.train(), 256),
                    FineTuner.tokenize(m, DATA.validation(), 256), store, p -> {
                        if (p.step() == crashAtStep) throw new ResumeTest.Crash();
                        if (!p.phase().endsWith(":done")) onStep.accept(m, p);
                    }, "train").withInitialLossScale(initialScale).withTokenBudget(tokenBudget);
            TrainingLoop.Result r = loop.run();
            return new Run(r, TrainingMethodsTest.snapshot(AdapterParameters.of(m)), frozen(m), m.dataType());
        }
    }

    static Run train(TrainingHyperParameters hp) {
        return train(hp, null, DynamicLossScale.INITIAL, -1, m -> {});
    }

    /** The frozen base weights (everything but the adapters), as float32. */
    static Map<String, float[]> frozen(LlamaModel m) {
        return TrainingMethodsTest.snapshot(m.weights());
    }

    static Map<String, float[]> initialAdapters() {
        try (LlamaModel m = LlamaModel.load(TrainingFixtures.base())) {
            MoleAdapters.install(m, MoleConfig.mole(48, 16));
            return TrainingMethodsTest.snapshot(AdapterParameters.of(m));
        }
    }

    @Test
    void fp16TrainingLearnsAndFollowsTheFp32Run() {
        Run full = train(FP32), half = train(FP16);

        assertThat(half.typeAfter()).as("the model is float32 again after the run").isEqualTo(DataType.FLOAT32);
        assertThat(half.result().skippedSteps()).isZero();
        Map<String, Double> before = half.result().initialValidation(), after = half.result().finalValidation();
        assertThat(after.get("all")).isLessThan(before.get("all") * 0.8);
        // fp16 rounding moves the trajectory a little, not its course
        assertThat(half.result().initialValidation().get("all")).isCloseTo(full.result().initialValidation().get("all"),
                org.assertj.core.api.Assertions.within(0.01));
        List<Double> a = full.result().stepLosses(), b = half.result().stepLosses();
        assertThat(b).hasSameSizeAs(a);
        for (int i = 0; i < a.size(); i++) {
            assertThat(b.get(i)).as("step %d loss", i + 1).isCloseTo(a.get(i), org.assertj.core.api.Assertions.within(0.05 * a.get(i) + 0.02));
        }
    }

    @Test
    void theFrozenBaseOnlyTakesTheFp16RoundingAndTheAdaptersStayFp32Masters() {
        Map<String, float[]> roundedBase;
        try (LlamaModel m = LlamaModel.load(TrainingFixtures.base())) {
            MoleAdapters.install(m, MoleConfig.mole(48, 16));
            AutogradScope.noGrad();
            roundedBase = new LinkedHashMap<>();
            for (var e : m.weights().entrySet()) {
                try (NDArray h = e.getValue().toType(DataType.FLOAT16, false); NDArray back = h.toType(DataType.FLOAT32, false)) {
                    roundedBase.put(e.getKey(), back.toFloatArray());
                }
            }
        }
        Run half = train(FP16);
        assertThat(half.base().keySet()).isEqualTo(roundedBase.keySet());
        roundedBase.forEach((k, v) -> assertThat(half.base().get(k)).as(k).isEqualTo(v));
        // the adapters carry fp32 master values, finer than fp16 can hold: at least some are not fp16-representable
        float[] shared = half.adapters().get("model.layers.0.mlp.gate_proj.shared.aT");
        long notHalf = 0;
        for (float x : shared) if (Float.float16ToFloat(Float.floatToFloat16(x)) != x) notHalf++;
        assertThat(notHalf).isGreaterThan(shared.length / 2);
    }

    @Test
    void aStoppedFp16RunResumesBitForBit(@TempDir Path dir) {
        // bucketed, padded forward passes: the path a GPU trains on
        Run straight = train(FP16, null, DynamicLossScale.INITIAL, -1, m -> {}, (m, p) -> {}, 512);
        CheckpointStore store = new LocalCheckpointStore(dir.resolve("ck"), 2);
        assertThatThrownBy(() -> train(FP16, store, DynamicLossScale.INITIAL, 8, m -> {}, (m, p) -> {}, 512))
                .isInstanceOf(ResumeTest.Crash.class);
        assertThat(store.latest()).get().extracting(CheckpointStore.Checkpoint::step).isEqualTo(6L);
        Run resumed = train(FP16, store, DynamicLossScale.INITIAL, -1, m -> {}, (m, p) -> {}, 512);
        assertThat(straight.result().finalValidation().get("all")).isLessThan(straight.result().initialValidation().get("all") * 0.8);

        assertThat(resumed.result().resumedFromStep()).isEqualTo(6);
        straight.adapters().forEach((k, v) -> assertThat(resumed.adapters().get(k)).as(k).isEqualTo(v));
        assertThat(resumed.result().lossCurve()).isEqualTo(straight.result().lossCurve());
    }

    @Test
    void anFp32CheckpointIsNotResumedInFp16(@TempDir Path dir) {
        CheckpointStore store = new LocalCheckpointStore(dir, 1);
        assertThatThrownBy(() -> train(FP32, store, 1, 4, m -> {})).isInstanceOf(ResumeTest.Crash.class);
        assertThatThrownBy(() -> train(FP16, store, DynamicLossScale.INITIAL, -1, m -> {}))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("different run");
    }

    @Test
    void anOverflowingStepIsSkippedWithoutTouchingTheWeights() {
        // 2^40: the scaled gradients overflow fp16 whatever the data
        Run one = train(FP16.withMaxSteps(1), null, Math.pow(2, 40), -1, m -> {});
        assertThat(one.result().skippedSteps()).isEqualTo(1);
        Map<String, float[]> init = initialAdapters();
        init.forEach((k, v) -> assertThat(one.adapters().get(k)).as(k).isEqualTo(v));
    }

    @Test
    void theLossScaleBacksOffUntilStepsFitAndThenTrainingProceeds() {
        Run r = train(FP16, null, Math.pow(2, 24), -1, m -> {});
        long skipped = r.result().skippedSteps();
        assertThat(skipped).isBetween(1L, 7L);
        assertThat(r.result().finalValidation().get("all")).isLessThan(r.result().initialValidation().get("all"));
        assertThat(r.result().lossCurve()).hasSize((int) (r.result().steps() - countNaN(r.result().stepLosses())));
    }

    private static long countNaN(List<Double> xs) {
        return xs.stream().filter(x -> !Double.isFinite(x)).count();
    }

    @Test
    void aModelThatOverflowsHalfPrecisionFailsWithAClearError() {
        // embeddings of 1e7 do not exist in fp16 (max 65504): every forward pass is inf/NaN, no loss scale can help
        TrainingHyperParameters hp = TrainingFixtures.hyper(1, 2).withPrecision("fp16");
        assertThatThrownBy(() -> train(hp, null, DynamicLossScale.INITIAL, -1, m -> {
            AutogradScope.noGrad();
            m.weights().get("model.embed_tokens.weight").muli(m.manager().create(1e7f));
        })).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fp16 training overflowed")
                .hasMessageContaining(DynamicLossScale.MAX_OVERFLOWS_IN_A_ROW + " optimiser steps in a row")
                .hasMessageContaining("train it in fp32");
    }

    @Test
    void anFp16AllLangRunExportsFp32PiecesThatRebuildTheTrainedModel(@TempDir Path out) throws Exception {
        FineTuner.Job job = ExportTest.job(TrainingMethod.ALL_LANG, MoleConfig.single(64));
        job = new FineTuner.Job(job.method(), job.adapters(), job.svd(), job.hyper().withPrecision("fp16"), job.seed(), job.baseDir(),
                job.data(), job.datasetId(), job.options());
        List<float[][]> trained = new ArrayList<>();
        List<TokenizedSample> inputs = new ArrayList<>();
        FineTuner.Outcome o = FineTuner.run(job, null, null, out, m -> {
            TokenizedSample s = ExportTest.sample(m);
            inputs.add(s);
            trained.add(m.logits(s.ids(), s.routes()));
        });
        assertThat(((TrainingHyperParameters) o.manifest().hyperParameters()).precision()).isEqualTo("fp16");
        assertThat(o.manifest().skippedSteps()).isZero();
        assertThat(o.finalValidation().get("main").get("all")).isLessThan(o.initialValidation().get("main").get("all"));
        assertThat(out.resolve(PeftExporter.DIR).resolve("adapter_model.safetensors")).exists();
        try (LlamaModel loaded = TrainedModels.load(TrainingFixtures.base(), out, ModelOptions.defaults(), null)) {
            double d = ExportTest.maxDiff(trained.get(0), loaded.logits(inputs.get(0).ids(), inputs.get(0).routes()));
            // the trained model kept its fp16-rounded frozen base; the pieces go onto the exact original: rounding-sized gaps
            assertThat(d).isGreaterThan(0).isLessThan(5e-2);
        }
    }

    @Test
    void fullFinetuningInFp16TrainsEveryWeightFromFp32Masters(@TempDir Path out) {
        FineTuner.Job base = ExportTest.job(TrainingMethod.FULL_FT, null);
        FineTuner.Job job = new FineTuner.Job(TrainingMethod.FULL_FT, null, base.svd(), base.hyper().withPrecision("fp16"), base.seed(),
                base.baseDir(), base.data(), base.datasetId(), base.options());
        FineTuner.Outcome o = FineTuner.run(job, null, null, out);
        assertThat(o.finalValidation().get("main").get("all")).isLessThan(o.initialValidation().get("main").get("all"));
        try (LlamaModel trained = LlamaModel.load(out); LlamaModel original = LlamaModel.load(TrainingFixtures.base())) {
            float[] a = original.weights().get("model.layers.0.mlp.up_proj.weight").toFloatArray();
            float[] b = trained.weights().get("model.layers.0.mlp.up_proj.weight").toFloatArray();
            assertThat(b).isNotEqualTo(a);
        }
    }

    @Test
    void nativeArraysDoNotAccumulateOverSteps() {
        // masters, moments, gradient sums and fp16 copies are made once; every per-step temporary must be freed
        for (TrainingHyperParameters hp : List.of(FP32, FP16)) {
            List<Integer> live = new ArrayList<>();
            train(hp.withBatch(2, 2), null, DynamicLossScale.INITIAL, -1, m -> {}, (m, p) -> live.add(m.manager().getManagedArrays().size()), 0);
            assertThat(live).hasSizeGreaterThan(10);
            assertThat(live.get(live.size() - 2)).as("%s: live arrays at the last step vs the second", hp.precision()).isEqualTo(live.get(1));
        }
    }
}
