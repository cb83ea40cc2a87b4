package dev.mole.gpu.training;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json} of a trained model's output folder: what was trained on what, and every file with its sha256.
 *
 * @param method          MOLE, ALL_LANG, PER_LANG, FULL_FT or NO_FT
 * @param layout          adapter layout (MOLE, NL_EXPERT, SINGLE), null for FULL_FT / NO_FT
 * @param init            SHARED_FIRST, SHARED_LAST or STD
 * @param svd             EXACT or RANDOMIZED (how the residual factors were computed; the loader recomputes nothing)
 * @param adapters        every adapter: name, rank, alpha, rsLoRA scale, and (for PER_LANG) the language of its file set
 * @param residualFile    the rank-k factors U [out,k] and SVt [k,in] per projection with W_res = W - U SVt (null: W_res = W)
 * @param svdFactorsKey   key of the PiSSA factors the adapters started from ({@link SvdFactorStore#key}), whether read from
 *                        the SVD stage's store or computed in the training activity; null without a residual
 * @param baseModelSha256 sha256 over the base checkpoint's files (name and sha256 of config.json, tokenizer.json, *.safetensors)
 * @param skippedSteps    optimiser steps an fp16 run skipped because their gradients overflowed (0 in fp32)
 * @param files           name -> sha256 of every other file in the folder
 * @param moe             MULTIPL_MOE only: its settings, the file of its trained routers and experts, their size
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OutputManifest(
        String format,
        String method,
        String layout,
        String init,
        String svd,
        int sharedRank,
        int expertRank,
        long adapterSeed,
        List<Adapter> adapters,
        String residualFile,
        String svdFactorsKey,
        String baseModelSha256,
        String datasetId,
        long seed,
        Object hyperParameters,
        long steps,
        long skippedSteps,
        Map<String, Map<String, Double>> validationLoss,
        Map<String, String> files,
        Moe moe) {

    public static final String FORMAT = "mole-trained/1";
    public static final String FILE = "manifest.json";

    /** One adapter file: tensors {@code model.layers.L.mlp.PROJ.lora_A.weight} [r, in] and {@code lora_B.weight} [out, r]. */
    public record Adapter(String name, String language, int rank, double alpha, double scale, String file) {}

    /**
     * A MultiPL-MoE model's trained part: one file with every layer's {@code model.layers.L.mlp.router.weightT}
     * [hidden, token + segment experts] and each trainable expert's arrays ({@code token_experts.E.} /
     * {@code segment_experts.E.} then {@code gate_proj.weightT} [in, out] for FULL experts, {@code gate_proj.aT} [in, r] and
     * {@code .bT} [r, out] for LOW_RANK ones); the frozen expert is the base's MLP and is not stored.
     */
    public record Moe(dev.mole.contracts.training.MoeSettings settings, String file, long trainableParameters) {}
}
