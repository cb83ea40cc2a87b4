package dev.mole.contracts.experiment;

import dev.mole.contracts.curation.CurationRequest;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.contracts.training.SvdRequest;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One experiment: on one dataset (an existing one, or curated first) and one base, every arm trained under every seed
 * and evaluated the same way. Everything here decides the results, so the experiment id is derived from it (the name
 * aside): the same request is the same experiment, and starting it again reuses what it finished.
 *
 * @param datasetManifest an existing dataset's manifest; exactly one of it and {@code curation}
 * @param curation        input to curate first (the curation stage reuses an identical dataset)
 * @param baseCheckpoint  folder of the base model (config.json, *.safetensors, tokenizer.json)
 * @param arms            at least one, names distinct
 * @param seeds           one training per arm and seed (No-FT: one evaluation of the base); default 1, 2, 3
 * @param svd             how the PiSSA factors are computed, once per distinct k: "randomized" (default) or "exact"
 */
public record ExperimentRequest(String name, ObjectRef datasetManifest, CurationRequest curation, ObjectRef baseCheckpoint,
        List<ExperimentArm> arms, List<Long> seeds, ExperimentEvaluation evaluation, String svd) {

    public ExperimentRequest {
        name = name == null ? "" : name.trim();
        if ((datasetManifest == null) == (curation == null)) {
            throw new IllegalArgumentException("an experiment needs either a dataset or an input to curate, not both");
        }
        Objects.requireNonNull(baseCheckpoint, "an experiment needs a base model");
        Objects.requireNonNull(evaluation, "an experiment needs its evaluation choices");
        arms = arms == null ? List.of() : List.copyOf(arms);
        if (arms.isEmpty()) throw new IllegalArgumentException("an experiment needs at least one arm");
        Set<String> names = new HashSet<>();
        for (ExperimentArm a : arms) {
            if (!names.add(a.name())) throw new IllegalArgumentException("two arms are named '" + a.name() + "': give one a name");
        }
        seeds = seeds == null || seeds.isEmpty() ? List.of(1L, 2L, 3L) : List.copyOf(seeds);
        if (seeds.stream().distinct().count() != seeds.size()) throw new IllegalArgumentException("seeds must be distinct: " + seeds);
        if (seeds.size() > 32) throw new IllegalArgumentException("at most 32 seeds, got " + seeds.size());
        svd = SvdRequest.method(svd);
    }

    /** The seeds an arm runs under: every seed, or the first alone for an arm that trains nothing. */
    public List<Long> seedsOf(ExperimentArm arm) {
        return arm.trains() ? seeds : List.of(seeds.get(0));
    }

    public ExperimentArm arm(String armName) {
        return arms.stream().filter(a -> a.name().equals(armName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no arm named '" + armName + "'"));
    }
}
