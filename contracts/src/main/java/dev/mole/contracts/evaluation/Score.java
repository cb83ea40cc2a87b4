package dev.mole.contracts.evaluation;

import dev.mole.contracts.language.Language;
import java.util.Map;

/**
 * Pass@1 of one cell: a task kind, a language (the target for translation), the source for translation (else null) and
 * the routing it ran under ({@link Routing#label()}).
 *
 * @param passAtK unbiased pass@k for k in 1, 10, 100 where at least k samples per task exist (sampling only)
 */
public record Score(TaskKind kind, Language language, Language source, String routing, int passed, int total,
        double passAt1, Map<Integer, Double> passAtK) {
    public Score {
        passAtK = passAtK == null ? Map.of() : Map.copyOf(passAtK);
    }
}
