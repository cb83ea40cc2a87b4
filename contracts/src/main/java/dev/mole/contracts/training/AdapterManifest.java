package dev.mole.contracts.training;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.mole.contracts.language.Language;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code manifest.json} of a trained model's output folder ({@code s3://<bucket>/runs/<runId>/seed-<n>/}): what was
 * trained on what, and every file with its sha256. The GPU worker writes it, and the orchestrator, the registry and the
 * console read it; this record is its one definition (docs/architecture.md, "Registry").
 *
 * @param format          {@value #FORMAT}
 * @param method          MOLE, ALL_LANG, PER_LANG, FULL_FT, NO_FT or MULTIPL_MOE
 * @param layout          adapter layout (MOLE, NL_EXPERT, SINGLE), null for FULL_FT / NO_FT
 * @param init            SHARED_FIRST, SHARED_LAST or STD
 * @param svd             EXACT or RANDOMIZED (how the residual factors were computed; the loader recomputes nothing)
 * @param adapters        every adapter: name, rank, alpha, rsLoRA scale, and (for PER_LANG) the language of its file
 * @param residualFile    the rank-k factors U [out,k] and SVt [k,in] per projection with W_res = W - U SVt (null: W_res = W)
 * @param svdFactorsKey   key of the PiSSA factors the adapters started from; null without a residual
 * @param baseModelSha256 {@link dev.mole.contracts.storage.BaseModelIdentity} of the base checkpoint
 * @param skippedSteps    optimiser steps an fp16 run skipped because their gradients overflowed (0 in fp32)
 * @param files           name -> sha256 of every other file in the folder (PEFT export files under {@value #PEFT_DIR}/)
 * @param moe             MULTIPL_MOE only: its settings, the file of its trained routers and experts, their size
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AdapterManifest(
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
        TrainingHyperParameters hyperParameters,
        long steps,
        long skippedSteps,
        Map<String, Map<String, Double>> validationLoss,
        Map<String, String> files,
        Moe moe) {

    public static final String FORMAT = "mole-trained/1";
    public static final String FILE = "manifest.json";
    public static final String PEFT_DIR = "peft";

    private static final ObjectMapper READER = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final ObjectMapper WRITER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public AdapterManifest {
        adapters = adapters == null ? List.of() : List.copyOf(adapters);
        files = files == null ? Map.of() : files;
    }

    /**
     * One adapter file: tensors {@code model.layers.L.mlp.PROJ.lora_A.weight} [r, in] and {@code lora_B.weight} [out, r].
     * Names: {@code shared}, {@code nl}, {@code expert_<language id>}, {@code expert_nl} (NL_EXPERT) or {@code lora}
     * (SINGLE; PER_LANG has one per language, told apart by {@code language}).
     */
    public record Adapter(String name, String language, int rank, double alpha, double scale, String file) {

        /** The programming language whose tokens this adapter serves alone, if it is a language expert. */
        @JsonIgnore
        public Optional<Language> expertLanguage() {
            if (name.startsWith("expert_") && !name.equals("expert_nl")) {
                return Optional.of(Language.parse(name.substring("expert_".length())));
            }
            if (language != null) {
                return Optional.of(Language.parse(language));
            }
            return Optional.empty();
        }
    }

    /**
     * A MultiPL-MoE model's trained part: one file with every layer's {@code model.layers.L.mlp.router.weightT}
     * [hidden, token + segment experts] and each trainable expert's arrays ({@code token_experts.E.} /
     * {@code segment_experts.E.} then {@code gate_proj.weightT} [in, out] for FULL experts, {@code gate_proj.aT} [in, r] and
     * {@code .bT} [r, out] for LOW_RANK ones); the frozen expert is the base's MLP and is not stored.
     */
    public record Moe(MoeSettings settings, String file, long trainableParameters) {}

    /** What a file of a trained output is for: a downstream loader picks components by kind and language. */
    public enum ComponentKind {
        /** the shared LoRA every code token uses (MoLE layouts) */
        SHARED,
        /** the adapter of natural-language tokens: {@code nl} (MOLE) or {@code expert_nl} (NL_EXPERT) */
        NL,
        /** one language's expert (MoLE) or one language's LoRA (PER_LANG) */
        EXPERT,
        /** the single LoRA of AllLang-FT */
        LORA,
        /** the rank-k factors that rebuild the residual base W_res = W - U SVt */
        FACTORS,
        /** the Hugging Face PEFT export (AllLang-FT) */
        PEFT,
        /** whole weights and their config (Full-FT) */
        WEIGHTS,
        /** the routers and trainable experts of MultiPL-MoE ({@link Moe}); the frozen expert is the base's MLP */
        MOE
    }

    /** One file of the output with what it is for; {@code language} is set for EXPERT only. */
    public record Component(String file, String sha256, ComponentKind kind, Language language, String adapter, int rank) {}

    /** Every file of {@link #files} classified; a file no rule knows fails, so nothing is silently left out. */
    @JsonIgnore
    public List<Component> components() {
        List<Component> out = new ArrayList<>();
        for (Map.Entry<String, String> f : new java.util.TreeMap<>(files).entrySet()) {
            out.add(component(f.getKey(), f.getValue()));
        }
        return out;
    }

    private Component component(String file, String sha) {
        for (Adapter a : adapters) {
            if (a.file().equals(file)) {
                Optional<Language> lang = a.expertLanguage();
                ComponentKind kind = a.name().equals("shared") ? ComponentKind.SHARED
                        : a.name().equals("nl") || a.name().equals("expert_nl") ? ComponentKind.NL
                        : lang.isPresent() ? ComponentKind.EXPERT : ComponentKind.LORA;
                return new Component(file, sha, kind, kind == ComponentKind.EXPERT ? lang.get() : null, a.name(), a.rank());
            }
        }
        if (file.equals(residualFile)) {
            return new Component(file, sha, ComponentKind.FACTORS, null, null, sharedRank + expertRank);
        }
        if (moe != null && file.equals(moe.file())) {
            return new Component(file, sha, ComponentKind.MOE, null, null, 0);
        }
        if (file.startsWith(PEFT_DIR + "/")) {
            return new Component(file, sha, ComponentKind.PEFT, null, null, 0);
        }
        if ("FULL_FT".equals(method)) {
            return new Component(file, sha, ComponentKind.WEIGHTS, null, null, 0);
        }
        throw new IllegalArgumentException("the manifest lists " + file + ", which is neither an adapter, the residual factors"
                + " nor the PEFT export");
    }

    public byte[] toJson() {
        try {
            return WRITER.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses a manifest; anything that is not one (bad JSON, another format) fails with the reason. */
    public static AdapterManifest parse(byte[] json) {
        AdapterManifest m;
        try {
            m = READER.readValue(json, AdapterManifest.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a trained-model manifest: " + e.getMessage(), e);
        }
        if (m == null || !FORMAT.equals(m.format())) {
            throw new IllegalArgumentException("not a trained-model manifest (format " + (m == null ? "none" : m.format()) + ", expected " + FORMAT + ")");
        }
        return m;
    }
}
