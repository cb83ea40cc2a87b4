package dev.mole.contracts.evaluation;

import dev.mole.contracts.storage.ObjectRef;
import java.util.List;

/**
 * What the first planning step decided.
 *
 * @param evaluationId content-derived id (model content + every result-relevant setting)
 * @param reused       the finished earlier evaluation with this id, or null when this one has to run
 * @param chunks       the first round's generation chunks (synthesis, explain's describe step, translation,
 *                     specialisation); in oracle mode their outputs already exist and no GPU work is needed
 */
public record EvaluationPlan(String evaluationId, EvaluationSummary reused, List<GenerationChunk> chunks) {
    public EvaluationPlan {
        chunks = chunks == null ? List.of() : List.copyOf(chunks);
    }
}
