package dev.mole.gpu.training;

import dev.mole.contracts.training.AdapterManifest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mole.contracts.language.Language;
import dev.mole.contracts.training.MoeSettings;
import dev.mole.contracts.training.TrainingHyperParameters;
import dev.mole.contracts.training.TrainingProgress;
import dev.mole.gpu.model.LlamaModel;
import dev.mole.gpu.model.ModelOptions;
import dev.mole.gpu.model.MultiplMoe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MULTIPL_MOE through the same loop as every method: loss falls, only routers and experts move, resume is bit-identical. */
class MultiplMoeTrainingTest {

    /** The paper's routing with windows of 8 tokens (the tiny records are 40-90 tokens: several windows each). */
    static MoeSettings settings(MoeSettings.ExpertSize size) {
        boolean low = size == MoeSettings.ExpertSize.LOW_RANK;
        return new MoeSettings(6, 6, 8, 1.0, 4, 0.7, 0.3, 1e-2, 1e-3, size, low ? 8 : 0, low ? 8 : 0);
    }

    @Test
    void shortTrainingLowersValidationLossAndMovesOnlyRoutersAndExperts(@TempDir Path out) throws Exception {
        Map<String, float[]> base = new LinkedHashMap<>();
        try (LlamaModel m = LlamaModel.load(TrainingFixtures.base())) {
            m.weights().forEach((k, v) -> base.put(k, v.toFloatArray()));
        }
        List<TrainingProgress> events = new ArrayList<>();
        int[] ids = {0, 5, 9, 17, 3, 22, 40, 41, 7, 8, 9, 10};
        float[][][] trainedLogits = new float[1][][];
        FineTuner.Job job = FineTuner.Job.multiplMoe(settings(MoeSettings.ExpertSize.FULL), TrainingFixtures.hyper(4, 3), 5L,
                TrainingFixtures.base(), TrainingFixtures.splits(TrainingMethodsTest.LANGS, 8, 2), "synthetic", ModelOptions.defaults());
        FineTuner.Outcome o = FineTuner.run(job, null, events::add, out, m -> {
            // the frozen expert is the base MLP, bit for bit, and so is everything else the base holds
            m.weights().forEach((k, v) -> assertThat(v.toFloatArray()).as(k).isEqualTo(base.get(k)));
            trainedLogits[0] = m.logits(ids, null);
        });
        double before = o.initialValidation().get("main").get("all"), after = o.finalValidation().get("main").get("all");
        System.out.printf("MULTIPL_MOE tiny run: validation loss %.4f -> %.4f over %d steps%n", before, after, o.steps());
        assertThat(after).isLessThan(before * 0.8);
        assertThat(o.finalValidation().get("main")).containsKeys("python", "rust", "go", "all");
        // routing statistics per label ride on the progress events (each event: the last step's batch)
        java.util.Set<String> labels = new java.util.TreeSet<>();
        events.stream().filter(p -> p.routing() != null).forEach(p -> labels.addAll(p.routing().token().keySet()));
        assertThat(labels).containsExactly("go", "nl", "python", "rust");
        TrainingProgress last = events.stream().filter(p -> p.routing() != null).reduce((a, b) -> b).orElseThrow();
        var nl = last.routing().token().get("nl");
        assertThat(nl).hasSize(6);
        // the frozen expert takes every token besides its top-1: its count is the sum of the others'
        assertThat(nl.get(5)).isEqualTo(nl.subList(0, 5).stream().mapToLong(Long::longValue).sum());
        assertThat(last.routing().segment()).isNotEmpty();
        // outputs: one file of routers and experts, the manifest naming it; loading it back gives the trained model
        assertThat(o.manifest().moe().file()).isEqualTo(FineTuner.MOE_FILE);
        assertThat(Files.exists(out.resolve(FineTuner.MOE_FILE))).isTrue();
        try (LlamaModel loaded = TrainedModels.load(TrainingFixtures.base(), out, ModelOptions.defaults(), null)) {
            assertThat(loaded.moe()).isEqualTo(job.moe());
            assertThat(o.manifest().moe().trainableParameters()).isEqualTo(MultiplMoe.trainableCount(loaded));
            float[][] again = loaded.logits(ids, null);
            for (int p = 0; p < ids.length; p++) assertThat(again[p]).isEqualTo(trainedLogits[0][p]);
        }
    }

    static Map<String, float[]> train(MoeSettings s, CheckpointStore store, int crashAtStep, List<Long> resumedFrom) {
        DatasetShards.Splits data = ResumeTest.DATA;
        try (LlamaModel m = LlamaModel.load(TrainingFixtures.base())) {
            MultiplMoe.upcycle(m, s, 99L);
            TrainingLoop loop = new TrainingLoop(m, MultiplMoe.trainable(m), ResumeTest.HP, 99L, FineTuner.tokenize(m, data.train(), 256),
                    FineTuner.tokenize(m, data.validation(), 256), store, p -> {
                        if (p.step() == crashAtStep) throw new ResumeTest.Crash();
                    }, "train").withTokenBudget(512); // padded batches: the per-sequence segment routing in the loop
            TrainingLoop.Result r = loop.run();
            resumedFrom.add(r.resumedFromStep());
            return TrainingMethodsTest.snapshot(MultiplMoe.trainable(m));
        }
    }

    @Test
    void stoppedAndResumedRunEqualsUninterruptedRunBitForBit(@TempDir Path dir) {
        MoeSettings s = settings(MoeSettings.ExpertSize.LOW_RANK);
        List<Long> resumed = new ArrayList<>();
        Map<String, float[]> straight = train(s, null, -1, resumed);
        CheckpointStore store = new LocalCheckpointStore(dir.resolve("ck"), 2);
        assertThatThrownBy(() -> train(s, store, 8, resumed)).isInstanceOf(ResumeTest.Crash.class);
        Map<String, float[]> again = train(s, store, -1, resumed);
        assertThat(resumed).containsExactly(0L, 6L);
        assertThat(again.keySet()).isEqualTo(straight.keySet());
        straight.forEach((k, v) -> assertThat(again.get(k)).as(k).isEqualTo(v));
        try (LlamaModel m = LlamaModel.load(TrainingFixtures.base())) {
            MultiplMoe.upcycle(m, s, 99L);
            Map<String, float[]> init = TrainingMethodsTest.snapshot(MultiplMoe.trainable(m));
            assertThat(straight.get("model.layers.0.mlp.router.weightT")).isNotEqualTo(init.get("model.layers.0.mlp.router.weightT"));
            assertThat(straight.get("model.layers.1.mlp.segment_experts.0.up_proj.bT")).isNotEqualTo(init.get("model.layers.1.mlp.segment_experts.0.up_proj.bT"));
        }
    }

    @Test
    void fp16TrainingLearnsWithFp32MastersAndLowRankExpertsSharingTheFrozenWeights(@TempDir Path out) {
        TrainingHyperParameters hp = TrainingFixtures.hyper(4, 2).withPrecision("fp16");
        FineTuner.Job job = FineTuner.Job.multiplMoe(settings(MoeSettings.ExpertSize.LOW_RANK), hp, 5L, TrainingFixtures.base(),
                TrainingFixtures.splits(TrainingMethodsTest.LANGS, 8, 2), "synthetic", ModelOptions.defaults());
        FineTuner.Outcome o = FineTuner.run(job, null, null, out, m -> {
            // the frozen expert and the low-rank experts' shared weights are one array, cast once
            assertThat(m.dataType()).isEqualTo(ai.djl.ndarray.types.DataType.FLOAT32); // masters copied back at the end
        });
        double before = o.initialValidation().get("main").get("all"), after = o.finalValidation().get("main").get("all");
        System.out.printf("MULTIPL_MOE fp16 tiny run: validation loss %.4f -> %.4f over %d steps%n", before, after, o.steps());
        assertThat(after).isLessThan(before * 0.9);
    }

    @Test
    void aWindowThatDoesNotDivideTheMaximumLengthFailsBeforeTraining(@TempDir Path out) {
        MoeSettings s = new MoeSettings(6, 6, 48, 1.0, 4, 0.7, 0.3, 1e-2, 1e-3, MoeSettings.ExpertSize.FULL, 0, 0);
        List<TrainingProgress> events = new ArrayList<>();
        FineTuner.Job job = FineTuner.Job.multiplMoe(s, TrainingFixtures.hyper(4, 1), 5L, TrainingFixtures.base(),
                TrainingFixtures.splits(List.of(Language.PYTHON), 2, 1), "synthetic", ModelOptions.defaults());
        assertThatThrownBy(() -> FineTuner.run(job, null, events::add, out)).hasMessageContaining("window 48 must divide the maximum sequence length 256");
        assertThat(events).isEmpty();
        assertThat(out.resolve(AdapterManifest.FILE)).doesNotExist();
    }
}
