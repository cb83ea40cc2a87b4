package dev.mole.gpu.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mole.contracts.training.TrainingHyperParameters;
import dev.mole.contracts.language.Language;
import dev.mole.gpu.model.LlamaModel;
import dev.mole.gpu.model.MoleAdapters;
import dev.mole.gpu.model.MoleConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run stopped at an arbitrary step and resumed from its latest checkpoint ends bit-identical to an uninterrupted run. */
class ResumeTest {

    static final DatasetShards.Splits DATA = TrainingFixtures.splits(List.of(Language.PYTHON, Language.RUST, Language.JAVA), 6, 1);
    // 18 records, batch 4 -> 5 steps per epoch (last batch of 2) x 2 epochs = 10 steps; checkpoints every 3 steps;
    // weight decay on so the decay path is covered too
    static final TrainingHyperParameters HP = TrainingFixtures.hyper(4, 2).withIntervals(4, 3).withWeightDecay(0.01);

    /** Simulates the worker dying: the listener throws once the loop reports this step. */
    static final class Crash extends RuntimeException {}

    static Map<String, float[]> train(CheckpointStore store, int crashAtStep, List<Long> resumedFrom) {
        try (LlamaModel m = LlamaModel.load(TrainingFixtures.base())) {
            MoleAdapters.install(m, MoleConfig.mole(48, 16));
            TrainingLoop loop = new TrainingLoop(m, AdapterParameters.of(m), HP, 99L, FineTuner.tokenize(m, DATA.train(), 256),
                    FineTuner.tokenize(m, DATA.validation(), 256), store, p -> {
                        if (p.step() == crashAtStep) throw new Crash();
                    }, "train").withTokenBudget(512); // bucketed forward passes, as FineTuner trains
            TrainingLoop.Result r = loop.run();
            resumedFrom.add(r.resumedFromStep());
            assertThat(r.steps()).isEqualTo(10);
            return TrainingMethodsTest.snapshot(AdapterParameters.of(m));
        }
    }

    @Test
    void stoppedAndResumedRunEqualsUninterruptedRunBitForBit(@TempDir Path dir) {
        List<Long> resumed = new ArrayList<>();
        Map<String, float[]> straight = train(null, -1, resumed);

        CheckpointStore store = new LocalCheckpointStore(dir.resolve("ck"), 2);
        assertThatThrownBy(() -> train(store, 8, resumed)).isInstanceOf(Crash.class);
        assertThat(store.latest()).get().extracting(CheckpointStore.Checkpoint::step).isEqualTo(6L);
        Map<String, float[]> resumedRun = train(store, -1, resumed);

        assertThat(resumed).containsExactly(0L, 6L);
        assertThat(resumedRun.keySet()).isEqualTo(straight.keySet());
        straight.forEach((k, v) -> assertThat(resumedRun.get(k)).as(k).isEqualTo(v));
        // and training did move the adapters (the comparison is not between two untouched inits)
        try (LlamaModel m = LlamaModel.load(TrainingFixtures.base())) {
            MoleAdapters.install(m, MoleConfig.mole(48, 16));
            Map<String, float[]> init = TrainingMethodsTest.snapshot(AdapterParameters.of(m));
            assertThat(straight.get("model.layers.0.mlp.gate_proj.shared.aT")).isNotEqualTo(init.get("model.layers.0.mlp.gate_proj.shared.aT"));
        }
    }

    @Test
    void aCheckpointOfAnotherRunIsRefused(@TempDir Path dir) {
        CheckpointStore store = new LocalCheckpointStore(dir, 1);
        assertThatThrownBy(() -> train(store, 4, new ArrayList<>())).isInstanceOf(Crash.class);
        try (LlamaModel m = LlamaModel.load(TrainingFixtures.base())) {
            MoleAdapters.install(m, MoleConfig.mole(48, 16));
            TrainingLoop other = new TrainingLoop(m, AdapterParameters.of(m), HP, 100L /* other seed */,
                    FineTuner.tokenize(m, DATA.train(), 256), List.of(), store, null, "train");
            assertThatThrownBy(other::run).isInstanceOf(IllegalStateException.class).hasMessageContaining("different run");
        }
    }
}
