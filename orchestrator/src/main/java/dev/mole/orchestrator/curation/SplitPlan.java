package dev.mole.orchestrator.curation;

import dev.mole.contracts.curation.FenceMode;
import java.util.List;

/**
 * The result of the plan pass: how to split, and the full statistics. A few kilobytes whatever the input size.
 *
 * @param engineVersion   {@link CurationEngine#VERSION} that made it; the write pass refuses another version
 * @param inputRows       rows the plan pass read; the write pass must read the same number
 * @param keptRows        rows that passed every rule
 * @param cuts            one per language, Table I order
 * @param statistics      the report, final already (train/validation counts follow from the cuts)
 */
public record SplitPlan(
        String engineVersion,
        FenceMode fenceMode,
        String questionField,
        String answerField,
        double validationShare,
        long seed,
        long inputRows,
        long keptRows,
        List<LanguageCut> cuts,
        CurationStatistics statistics) {

    public SplitPlan {
        cuts = List.copyOf(cuts);
    }

    /**
     * Which rows of one main language go to validation. Each kept row has a 64-bit split hash (of seed, row content and
     * row index). A row goes to validation when its hash is below {@code thresholdHash}, or equal to it and fewer than
     * {@code tiesAtThreshold} rows with that same hash went before it in input order. That selects exactly the
     * {@code validationRows} smallest hashes, ties broken by input order.
     *
     * @param validationRows {@code Math.round(validationShare * keptRows)}
     */
    public record LanguageCut(String language, long keptRows, long validationRows, long thresholdHash,
            long tiesAtThreshold) {}
}
