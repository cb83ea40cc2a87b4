package dev.mole.contracts.evaluation;

import dev.mole.contracts.language.Language;
import java.util.Objects;

/**
 * One generation to make: one line of a chunk object. The GPU worker puts {@code instruction} in the training template's
 * instruction slot and begins the response with {@code responsePrefix}; it stops when the stop rule of
 * ({@code kind}, {@code language}, {@code responsePrefix}) says the completion is whole, at eos, or after
 * {@code maxNewTokens}.
 *
 * @param sampleId       unique within the evaluation, e.g. {@code synthesis/auto/python/Python/12/0}
 * @param kind           task kind (selects the stop rule)
 * @param taskId         the HumanEvalPack task whose tests grade the sample (the target task for translation)
 * @param source         translation's source language (else null)
 * @param language       the language of the code being written (the target for translation); null for describe
 * @param routing        how tokens are routed
 * @param adapterLanguage PER_LANG models only: whose LoRA generates this sample (null otherwise)
 * @param sampleIndex    0..n-1 among a task's samples; with the evaluation's seed it fixes the sampling stream
 */
public record GenerationTask(
        String sampleId, TaskKind kind, String taskId, Language source, Language language, String instruction, String responsePrefix, Routing routing,
        Language adapterLanguage, int sampleIndex, int maxNewTokens) {
    public GenerationTask {
        Objects.requireNonNull(sampleId, "sampleId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(instruction, "instruction");
        Objects.requireNonNull(routing, "routing");
        responsePrefix = responsePrefix == null ? "" : responsePrefix;
    }
}
