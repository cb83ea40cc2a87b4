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
 * @param svd             how the PiSSA factors are computed: "randomized" (what new requests get) or "exact". Null only in
 *                        requests recorded before this field existed: those trained with the exact SVD, and a retry of
 *                        one must rebuild the residual its checkpoints were trained on, so null keeps "exact".
 * @param svdFactors      the manifest of stored PiSSA factors ({@link SvdActivities}) to start from; null computes them
 *                        in the training activity (requests from before the SVD stage, or a caller without it). They
 *                        must be of this base, of the request's k and of the same svd method, or the run is refused.
 * @param moe             MULTIPL_MOE's settings (null: {@link MoeSettings#paper()}); must be null for every other method
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
        ObjectRef output,
        String svd,
        ObjectRef svdFactors,
        MoeSettings moe) {

    public TrainingRequest {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(datasetManifest, "datasetManifest");
        Objects.requireNonNull(baseCheckpoint, "baseCheckpoint");
        Objects.requireNonNull(output, "output");
        hyper = hyper == null ? TrainingHyperParameters.paper() : hyper;
        init = init == null || init.isBlank() ? "shared_first" : init;
        variant = variant == null || variant.isBlank() ? defaultVariant(method) : variant;
        svd = svd == null ? null : SvdRequest.method(svd);
        moe = MoeSettings.forMethod(method, moe);
    }

    /** A request without MultiPL-MoE settings (every method but MULTIPL_MOE, which then takes the paper's). */
    public TrainingRequest(String runId, TrainingMethod method, String variant, String init, long seed, TrainingHyperParameters hyper,
                           ObjectRef datasetManifest, ObjectRef baseCheckpoint, ObjectRef output, String svd, ObjectRef svdFactors) {
        this(runId, method, variant, init, seed, hyper, datasetManifest, baseCheckpoint, output, svd, svdFactors, null);
    }

    /** A request with the default SVD ({@value SvdRequest#RANDOMIZED}), computed in the training activity. */
    public TrainingRequest(String runId, TrainingMethod method, String variant, String init, long seed,
                           TrainingHyperParameters hyper, ObjectRef datasetManifest, ObjectRef baseCheckpoint, ObjectRef output) {
        this(runId, method, variant, init, seed, hyper, datasetManifest, baseCheckpoint, output, SvdRequest.RANDOMIZED, null);
    }

    /** The same request starting from stored factors. */
    public TrainingRequest withSvdFactors(ObjectRef factors) {
        return new TrainingRequest(runId, method, variant, init, seed, hyper, datasetManifest, baseCheckpoint, output, svd, factors, moe);
    }

    /** The same request with another svd method (null: the exact SVD of requests from before the field existed). */
    public TrainingRequest withSvd(String how) {
        return new TrainingRequest(runId, method, variant, init, seed, hyper, datasetManifest, baseCheckpoint, output, how, svdFactors, moe);
    }

    /** The SVD method this request trains with: {@link #svd()}, or "exact" for a request recorded before it existed. */
    public String svdMethod() {
        return svd == null ? SvdRequest.EXACT : svd;
    }

    private static String defaultVariant(TrainingMethod m) {
        return switch (m) {
            case MOLE -> "48+16";
            case ALL_LANG, PER_LANG -> "64";
            case FULL_FT, NO_FT, MULTIPL_MOE -> "";
        };
    }
}
