package dev.mole.contracts.training;

import dev.mole.contracts.storage.ObjectRef;
import java.util.List;
import java.util.Objects;

/**
 * One configuration trained under several seeds (the paper reports the mean of three). Data by reference only.
 *
 * @param name            a human label
 * @param seeds           one training run per seed, in parallel on the GPU queue
 * @param datasetManifest the curated dataset's manifest
 * @param baseCheckpoint  folder holding the base model (config.json, *.safetensors, tokenizer.json)
 * @param svd             how the PiSSA factors are computed, once for all seeds: "randomized" (default) or "exact"
 * @param moe             MULTIPL_MOE's settings (null: {@link MoeSettings#paper()}); must be null for every other method
 */
public record FinetuneRequest(
        String name,
        TrainingMethod method,
        String variant,
        String init,
        List<Long> seeds,
        TrainingHyperParameters hyper,
        ObjectRef datasetManifest,
        ObjectRef baseCheckpoint,
        String svd,
        MoeSettings moe) {

    public FinetuneRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(datasetManifest, "datasetManifest");
        Objects.requireNonNull(baseCheckpoint, "baseCheckpoint");
        seeds = seeds == null || seeds.isEmpty() ? List.of(1L, 2L, 3L) : List.copyOf(seeds);
        if (seeds.stream().distinct().count() != seeds.size()) {
            throw new IllegalArgumentException("seeds must be distinct: " + seeds);
        }
        name = name == null || name.isBlank() ? method.name().toLowerCase(java.util.Locale.ROOT) : name;
        svd = SvdRequest.method(svd);
        moe = MoeSettings.forMethod(method, moe);
    }

    /** A request without MultiPL-MoE settings (MULTIPL_MOE then takes the paper's). */
    public FinetuneRequest(String name, TrainingMethod method, String variant, String init, List<Long> seeds,
                           TrainingHyperParameters hyper, ObjectRef datasetManifest, ObjectRef baseCheckpoint, String svd) {
        this(name, method, variant, init, seeds, hyper, datasetManifest, baseCheckpoint, svd, null);
    }

    /** A request with the default SVD ({@value SvdRequest#RANDOMIZED}). */
    public FinetuneRequest(String name, TrainingMethod method, String variant, String init, List<Long> seeds,
                           TrainingHyperParameters hyper, ObjectRef datasetManifest, ObjectRef baseCheckpoint) {
        this(name, method, variant, init, seeds, hyper, datasetManifest, baseCheckpoint, null, null);
    }
}
