package dev.mole.gpu.training;

import dev.mole.contracts.training.TrainingProgress;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Training meters, fed by the progress events the training loop already emits (it is only read here, never changed):
 * {@code mole_training_tokens_per_second} and {@code mole_training_step} / {@code mole_training_step_target} of the
 * latest event, {@code mole_training_loss}, and {@code mole_training_steps_total}, optimiser steps this process ran
 * (a resumed run's restored steps are not counted again).
 */
final class TrainingMetrics implements ProgressListener {
    private final AtomicReference<TrainingProgress> latest = new AtomicReference<>();
    private final Counter steps;
    private String phase;
    private long lastStep;

    TrainingMetrics(MeterRegistry registry) {
        Gauge.builder("mole.training.tokens.per.second", latest, r -> value(r.get(), TrainingProgress::tokensPerSecond))
                .description("trained tokens per second of wall time of the current run so far")
                .strongReference(true).register(registry);
        Gauge.builder("mole.training.step", latest, r -> value(r.get(), p -> p.step()))
                .description("optimiser steps done in the current phase")
                .strongReference(true).register(registry);
        Gauge.builder("mole.training.step.target", latest, r -> value(r.get(), p -> p.totalSteps()))
                .description("optimiser steps the current phase will take")
                .strongReference(true).register(registry);
        Gauge.builder("mole.training.loss", latest, r -> value(r.get(), TrainingProgress::loss))
                .description("answer-token loss of the last optimiser step")
                .strongReference(true).register(registry);
        steps = Counter.builder("mole.training.steps").description("optimiser steps run by this process")
                .register(registry);
    }

    static TrainingMetrics global() {
        return new TrainingMetrics(Metrics.globalRegistry);
    }

    @Override
    public synchronized void onProgress(TrainingProgress p) {
        latest.set(p);
        String current = p.trainingPhase();
        if (current.equals(phase) && p.step() > lastStep) {
            steps.increment(p.step() - lastStep);
        }
        // a new phase (or a resumed one) is the baseline: steps restored from a checkpoint were counted where they ran
        phase = current;
        lastStep = p.step();
    }

    private static double value(TrainingProgress p, java.util.function.ToDoubleFunction<TrainingProgress> f) {
        return p == null ? Double.NaN : f.applyAsDouble(p);
    }
}
