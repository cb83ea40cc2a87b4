package dev.mole.console.internal;

import dev.mole.contracts.evaluation.EvaluationRequest;
import dev.mole.contracts.evaluation.Score;
import dev.mole.orchestrator.evaluation.EvaluationCatalog.EvaluationRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An evaluation as the list shows it.
 *
 * @param model    what was evaluated, in words: the adapters' manifest, "base only", or "oracle canonical"
 * @param headline per graded task kind (SYNTHESIS, EXPLAIN_SYNTHESIS, TRANSLATION), the mean Pass@1 over its cells as the
 *                 papers' average column reports it; forced-routing cells (the specialisation matrix) are left out.
 *                 Empty until the evaluation completed
 */
public record EvaluationRunView(
        String evaluationId,
        String name,
        String status,
        String error,
        String model,
        String base,
        String adapters,
        Instant startedAt,
        Instant finishedAt,
        Map<String, Headline> headline) {

    /**
     * @param routing the routings of the cells averaged ("auto", "manual")
     * @param cells   how many languages (or translation pairs) the mean is over
     */
    public record Headline(String routing, double passAt1, int cells, int passed, int total) {}

    static EvaluationRunView of(EvaluationRow row) {
        EvaluationRequest r = row.request();
        return new EvaluationRunView(row.evaluationId(), row.name(), row.status(), row.error(), model(r),
                r.baseCheckpoint() == null ? null : r.baseCheckpoint().uri(),
                r.adapters() == null ? null : r.adapters().uri(), row.startedAt(), row.finishedAt(),
                headline(row.scores()));
    }

    static String model(EvaluationRequest r) {
        if (r == null) {
            return null;
        }
        return switch (r.oracle()) {
            case NONE -> r.adapters() == null ? "base only" : r.adapters().uri();
            default -> "oracle " + r.oracle().name().toLowerCase(Locale.ROOT);
        };
    }

    static Map<String, Headline> headline(List<Score> scores) {
        Map<String, List<Score>> byKind = new LinkedHashMap<>();
        for (Score s : scores) {
            if (!s.routing().startsWith("forced:")) {
                byKind.computeIfAbsent(s.kind().name(), k -> new ArrayList<>()).add(s);
            }
        }
        Map<String, Headline> out = new LinkedHashMap<>();
        byKind.forEach((kind, cells) -> out.put(kind, new Headline(
                String.join(",", cells.stream().map(Score::routing).distinct().sorted().toList()),
                cells.stream().mapToDouble(Score::passAt1).average().orElse(0), cells.size(),
                cells.stream().mapToInt(Score::passed).sum(), cells.stream().mapToInt(Score::total).sum())));
        return out;
    }
}
