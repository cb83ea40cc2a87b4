package dev.mole.contracts.evaluation;

import dev.mole.contracts.language.Language;
import dev.mole.contracts.storage.ObjectRef;
import java.util.List;
import java.util.Objects;

/**
 * One evaluation of one model on HumanEvalPack. Everything that changes a result is here, so the same request on the same
 * model is the same evaluation (its id is derived from this and the model's content) and is reused, not redone.
 *
 * @param name             a label for people (not part of the identity)
 * @param baseCheckpoint   folder of the base model (config.json, *.safetensors, tokenizer.json)
 * @param adapters         a trained output's manifest ({@code .../manifest.json}), or null to evaluate the base alone (No-FT)
 * @param kinds            SYNTHESIS, EXPLAIN_SYNTHESIS (describe runs first, implied), TRANSLATION
 * @param languages        HumanEvalPack languages for synthesis and explain (and the specialisation matrix)
 * @param pairs            translation pairs
 * @param limit            first N tasks of each language (0: all 164)
 * @param routing          AUTOMATED or MANUAL for synthesis and explain; translation's target is MANUAL unless
 *                         {@code translationRouting} says otherwise
 * @param translationRouting AUTOMATED or MANUAL for translation
 * @param specialisation   also run each language's synthesis under every expert and NL only (forced routing)
 * @param sampling         greedy (the paper) or seeded sampling
 * @param maxNewTokens     generation budget per sample
 * @param oracle           NONE, or grade the benchmark's own solutions through the same path
 */
public record EvaluationRequest(
        String name,
        ObjectRef baseCheckpoint,
        ObjectRef adapters,
        List<TaskKind> kinds,
        List<Language> languages,
        List<LanguagePair> pairs,
        int limit,
        Routing.Mode routing,
        Routing.Mode translationRouting,
        boolean specialisation,
        Sampling sampling,
        int maxNewTokens,
        Oracle oracle) {

    public static final int DEFAULT_MAX_NEW_TOKENS = 512;

    public EvaluationRequest {
        name = name == null ? "" : name;
        oracle = oracle == null ? Oracle.NONE : oracle;
        if (oracle == Oracle.NONE) Objects.requireNonNull(baseCheckpoint, "baseCheckpoint");
        kinds = kinds == null ? List.of() : List.copyOf(kinds);
        languages = languages == null ? List.of() : List.copyOf(languages);
        pairs = pairs == null ? List.of() : List.copyOf(pairs);
        routing = routing == null ? Routing.Mode.AUTOMATED : routing;
        translationRouting = translationRouting == null ? Routing.Mode.MANUAL : translationRouting;
        sampling = sampling == null ? Sampling.greedy() : sampling;
        maxNewTokens = maxNewTokens == 0 ? DEFAULT_MAX_NEW_TOKENS : maxNewTokens;
        if (kinds.contains(TaskKind.EXPLAIN_DESCRIBE)) {
            throw new IllegalArgumentException("ask for EXPLAIN_SYNTHESIS: the describe step is part of it");
        }
        if (routing == Routing.Mode.FORCED || translationRouting == Routing.Mode.FORCED) {
            throw new IllegalArgumentException("forced routing is the specialisation matrix: set specialisation instead");
        }
        for (Language l : languages) {
            if (!l.inHumanEvalPack()) throw new IllegalArgumentException(l.id() + " is not a HumanEvalPack language");
        }
        if (limit < 0 || limit > 164) throw new IllegalArgumentException("limit must be 0 (all) to 164, got " + limit);
        if (maxNewTokens < 1 || maxNewTokens > 4096) throw new IllegalArgumentException("max new tokens must be 1..4096, got " + maxNewTokens);
        if (kinds.isEmpty() && !specialisation) throw new IllegalArgumentException("no task kind selected");
        boolean needsLanguages = specialisation || kinds.contains(TaskKind.SYNTHESIS) || kinds.contains(TaskKind.EXPLAIN_SYNTHESIS);
        if (needsLanguages && languages.isEmpty()) throw new IllegalArgumentException("no language selected");
        if (kinds.contains(TaskKind.TRANSLATION) && pairs.isEmpty()) throw new IllegalArgumentException("translation selected but no pair");
    }

    public boolean baseOnly() {
        return adapters == null;
    }
}
