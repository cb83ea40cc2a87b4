package dev.mole.contracts.evaluation;

import dev.mole.contracts.storage.ObjectRef;
import java.util.Objects;

/**
 * A GPU activity's work: generate every {@link GenerationTask} line of {@code tasks} with the model and write one
 * {@link GeneratedSample} line per task, in order, to {@code output}. The output object is written whole before the
 * activity reports done, and a retry that finds it returns at once: a killed worker costs at most the chunk in flight.
 *
 * @param baseCheckpoint the base model's folder; null only in oracle mode, whose chunks never reach a GPU
 * @param adapters trained output manifest, or null for the base model alone
 */
public record GenerationChunk(String evaluationId, int index, ObjectRef baseCheckpoint, ObjectRef adapters,
        Sampling sampling, ObjectRef tasks, ObjectRef output) {
    public GenerationChunk {
        Objects.requireNonNull(tasks, "tasks");
        Objects.requireNonNull(output, "output");
        sampling = sampling == null ? Sampling.greedy() : sampling;
    }
}
