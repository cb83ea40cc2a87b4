package dev.mole.gpu.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import dev.mole.contracts.training.TrainingProgress;
import dev.mole.contracts.language.Language;
import dev.mole.gpu.model.LlamaModel;
import dev.mole.gpu.model.MoleAdapters;
import dev.mole.gpu.model.MoleConfig;
import dev.mole.gpu.model.TokenizedSample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LossAndProgressTest {

    /** The loss is -log p(next token) summed over answer tokens and eos only, with each token's own route. */
    @Test
    void lossCountsAnswerTokensOnly() {
        try (LlamaModel m = LlamaModel.load(TrainingFixtures.base())) {
            MoleAdapters.install(m, MoleConfig.mole(48, 16));
            TrainingExample x = FineTuner.tokenize(m, TrainingFixtures.records(List.of(Language.RUST), 1, 4), 256).get(0);
            TokenizedSample s = x.sample();
            int t = s.length();
            float[][] logits = m.logits(Arrays.copyOf(s.ids(), t - 1), Arrays.copyOf(s.routes(), t - 1));
            double want = 0;
            int n = 0, firstAnswer = -1;
            for (int i = 0; i + 1 < t; i++) {
                if (!s.lossMask()[i + 1]) continue;
                if (firstAnswer < 0) firstAnswer = i + 1;
                double max = Double.NEGATIVE_INFINITY, z = 0;
                for (float v : logits[i]) max = Math.max(max, v);
                for (float v : logits[i]) z += Math.exp(v - max);
                want += -(logits[i][s.ids()[i + 1]] - max - Math.log(z));
                n++;
            }
            assertThat(n).isEqualTo(x.lossTokens());
            assertThat(firstAnswer).isGreaterThan(20); // the prompt (template + question) is long and not trained
            assertThat(s.lossMask()[t - 1]).isTrue(); // eos is trained
            try (NDManager step = m.manager().newSubManager()) {
                assertThat((double) TrainingLoop.tokenLossSum(m, step, s).getFloat()).isCloseTo(want, within(1e-3 * Math.max(1, want)));
            }
        }
    }

    /** A right-padded bucket gives the same loss as its sequences one by one, and buckets respect the padded-token budget. */
    @Test
    void bucketedLossEqualsPerSequenceLoss() {
        try (LlamaModel m = LlamaModel.load(TrainingFixtures.base())) {
            MoleAdapters.install(m, MoleConfig.mole(48, 16));
            List<TrainingExample> xs = FineTuner.tokenize(m, TrainingFixtures.records(List.of(Language.RUST, Language.GO, Language.JAVA), 2, 8), 256);
            double alone = 0;
            try (NDManager step = m.manager().newSubManager()) {
                for (TrainingExample x : xs) alone += TrainingLoop.tokenLossSum(m, step, x.sample()).getFloat();
                double batched = TrainingLoop.batchLossSum(m, step, xs).getFloat();
                assertThat(batched).isCloseTo(alone, within(1e-4 * alone));
            }
            int longest = xs.stream().mapToInt(x -> x.sample().length() - 1).max().orElseThrow();
            var buckets = TrainingLoop.buckets(xs, 2 * longest);
            assertThat(buckets.stream().mapToInt(List::size).sum()).isEqualTo(xs.size());
            for (var b : buckets) {
                int max = b.stream().mapToInt(x -> x.sample().length() - 1).max().orElseThrow();
                assertThat((long) b.size() * max).isLessThanOrEqualTo(2L * longest);
            }
            assertThat(buckets.size()).isLessThan(xs.size());
            assertThat(TrainingLoop.buckets(xs, 0)).hasSize(xs.size());
        }
    }

    /** One event per optimiser step with the schedule's learning rate, epochs, per-language validation at the interval, ETA. */
    @Test
    void progressEventsFollowTheRun() {
        List<TrainingProgress> events = new ArrayList<>();
        var data = TrainingFixtures.splits(List.of(Language.PYTHON, Language.CPP), 4, 1); // 8 records
        var hp = TrainingFixtures.hyper(4, 3).withIntervals(2, 0); // 2 steps per epoch x 3 epochs, validation every 2 steps
        try (LlamaModel m = LlamaModel.load(TrainingFixtures.base())) {
            MoleAdapters.install(m, MoleConfig.single(16));
            new TrainingLoop(m, AdapterParameters.of(m), hp, 1L, FineTuner.tokenize(m, data.train(), 256),
                    FineTuner.tokenize(m, data.validation(), 256), null, events::add, "train").run();
        }
        LinearWarmupDecay lr = LinearWarmupDecay.of(hp.learningRate(), hp.warmupShare(), hp.endLearningRateFactor(), 6);
        List<TrainingProgress> steps = events.stream().filter(e -> e.phase().equals("train")).toList();
        assertThat(steps).extracting(TrainingProgress::step).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(steps).extracting(TrainingProgress::epoch).containsExactly(0, 0, 1, 1, 2, 2);
        for (TrainingProgress e : steps) {
            assertThat(e.learningRate()).isEqualTo(lr.at(e.step() - 1));
            assertThat(e.totalSteps()).isEqualTo(6);
            assertThat(e.tokensPerSecond()).isPositive();
            assertThat(e.loss()).isPositive();
        }
        // validation at start (kept until step 2), then refreshed at steps 2 and 4 (not 6: the final one comes with "done")
        assertThat(steps.get(0).validationLoss()).containsKeys("all", "python", "cpp");
        assertThat(steps.get(1).validationLoss()).isNotEqualTo(steps.get(0).validationLoss());
        assertThat(steps.get(2).validationLoss()).isEqualTo(steps.get(1).validationLoss());
        assertThat(steps.get(3).validationLoss()).isNotEqualTo(steps.get(2).validationLoss());
        assertThat(steps.get(5).etaSeconds()).isZero();
        assertThat(steps.get(0).etaSeconds()).isPositive();
        // each validation pass in the run is announced before it starts, with the step it follows
        assertThat(events.stream().filter(e -> e.phase().equals("train:validation")))
                .extracting(TrainingProgress::step).containsExactly(2L, 4L);
        assertThat(events.stream().filter(e -> e.phase().equals("train:validation")))
                .allSatisfy(e -> assertThat(e.etaSeconds()).isPositive());
        TrainingProgress done = events.get(events.size() - 1);
        assertThat(done.phase()).isEqualTo("train:done");
        assertThat(done.validationLoss().get("all")).isLessThan(steps.get(0).validationLoss().get("all"));
    }
}
