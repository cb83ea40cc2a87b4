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
        Map<String, String> files) {

    public static final String FORMAT = "mole-trained/1";
    public static final String FILE = "manifest.json";

    /** One adapter file: tensors {@code model.layers.L.mlp.PROJ.lora_A.weight} [r, in] and {@code lora_B.weight} [out, r]. */
    public record Adapter(String name, String language, int rank, double alpha, double scale, String file) {}
}
