package dev.mole.contracts.training;

import dev.mole.contracts.storage.ObjectRef;
import java.util.Objects;

/**
 * One finetuning run. Data never travels inline: the dataset and base model are object-store references.
 *
 * @param runId           names the run; checkpoints live under {@code output/checkpoints/}, so a retry with the same runId
 *                        and output resumes
 * @param method          what to train
 * @param variant         MoLE shared+expert ranks as "48+16" (also 64+0, 56+8, 32+32); the LoRA rank for ALL_LANG/PER_LANG
 *                        as "64"; ignored for FULL_FT/NO_FT
 * @param init            "shared_first" (default), "shared_last", "std" or "nl_expert" (MoLE layout with NL as 9th expert)
 * @param seed            data order and std init
 * @param hyper           optimiser and loop settings
 * @param datasetManifest the curated dataset's manifest object; its shards are siblings of it
 * @param baseCheckpoint  folder (key prefix) holding config.json, *.safetensors and tokenizer.json of the base model
 * @param output          folder (key prefix) that receives the checkpoints and the trained adapters with their manifest
 */
public record TrainingRequest(
        String runId,
        TrainingMethod method,
        String variant,
        String init,
        long seed,
        TrainingHyperParameters hyper,
        ObjectRef datasetManifest,
        ObjectRef baseCheckpoint,
        ObjectRef output) {

    public TrainingRequest {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(datasetManifest, "datasetManifest");
        Objects.requireNonNull(baseCheckpoint, "baseCheckpoint");
        Objects.requireNonNull(output, "output");
        hyper = hyper == null ? TrainingHyperParameters.paper() : hyper;
        init = init == null || init.isBlank() ? "shared_first" : init;
        variant = variant == null || variant.isBlank() ? defaultVariant(method) : variant;
    }

    private static String defaultVariant(TrainingMethod m) {
        return switch (m) {
            case MOLE -> "48+16";
            case ALL_LANG, PER_LANG -> "64";
            case FULL_FT, NO_FT -> "";
        };
    }
}
