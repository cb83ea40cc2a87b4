package dev.mole.gpu.training;

import dev.mole.contracts.training.TrainingProgress;

/** Receives progress after every optimiser step and validation (Temporal heartbeats, the console, logs). */
@FunctionalInterface
public interface ProgressListener {
    void onProgress(TrainingProgress progress);

    ProgressListener NONE = p -> {};
}
