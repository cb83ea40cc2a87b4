package dev.mole.contracts.evaluation;

import dev.mole.contracts.storage.ObjectRef;
import java.util.List;

/**
 * The result of an evaluation: small enough for a workflow result; every sample behind it is in {@code samples}
 * (JSONL: prompt, raw generation, extracted program, verdict and reason per line).
 *
 * @param reused true when an identical earlier evaluation answered instead of a new one
 * @param notes  what a reader of the scores should know, e.g. a failed task whose own data is known to be flaky
 */
public record EvaluationSummary(String evaluationId, String name, boolean reused, List<Score> scores, ObjectRef samples,
        List<String> notes) {
    public EvaluationSummary {
        scores = scores == null ? List.of() : List.copyOf(scores);
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    public EvaluationSummary(String evaluationId, String name, boolean reused, List<Score> scores, ObjectRef samples) {
        this(evaluationId, name, reused, scores, samples, List.of());
    }
}
