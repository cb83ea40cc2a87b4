package dev.mole.gpu.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mole.contracts.training.TrainingProgress;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingMetricsTest {
    private static TrainingProgress at(String phase, long step, double tokensPerSecond) {
        return TrainingProgress.of(phase, step, 100, 0, 1.5, 1e-4, tokensPerSecond, Map.of(), 0);
    }

    @Test
    void gaugesShowTheLatestEventAndTheCounterOnlyStepsRunHere() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TrainingMetrics metrics = new TrainingMetrics(registry);
        assertThat(registry.get("mole.training.tokens.per.second").gauge().value()).isNaN(); // nothing trained yet

        metrics.onProgress(at("train", 40, 0)); // resumed from a checkpoint at step 40: a baseline, not 40 steps
        metrics.onProgress(at("train", 41, 812.5));
        metrics.onProgress(at("train", 43, 820.0));
        metrics.onProgress(at("train:validation", 43, 820.0));
        metrics.onProgress(at("train:python", 1, 700.0)); // a PER_LANG sub-run starts its own count
        metrics.onProgress(at("train:python", 2, 710.0));

        assertThat(registry.get("mole.training.steps").counter().count()).isEqualTo(4.0);
        assertThat(registry.get("mole.training.tokens.per.second").gauge().value()).isEqualTo(710.0);
        assertThat(registry.get("mole.training.step").gauge().value()).isEqualTo(2.0);
        assertThat(registry.get("mole.training.step.target").gauge().value()).isEqualTo(100.0);
        assertThat(registry.get("mole.training.loss").gauge().value()).isEqualTo(1.5);
    }
}
