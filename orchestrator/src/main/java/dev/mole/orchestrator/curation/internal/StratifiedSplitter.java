package dev.mole.orchestrator.curation.internal;

import dev.mole.contracts.language.Language;
import dev.mole.orchestrator.curation.SplitPlan.LanguageCut;
import java.util.ArrayList;
import java.util.List;

/**
 * Plan side of the stratified split: collects one split hash per kept row, per main language, then picks exactly
 * {@code Math.round(share * n)} validation rows per language (the smallest hashes; ties by input order). Rounding is
 * {@link Math#round(double)}, i.e. half up: 0.05 * 10 rows gives 1 validation row.
 */
public final class StratifiedSplitter {
    private final LongChunkList[] hashes = new LongChunkList[Language.count()];

    public StratifiedSplitter() {
        for (int i = 0; i < hashes.length; i++) {
            hashes[i] = new LongChunkList();
        }
    }

    public void add(Language language, long hash) {
        hashes[language.ordinal()].add(hash);
    }

    public static long validationCount(double share, long keptRows) {
        return Math.round(share * keptRows);
    }

    /** Computes the cuts; drains the collected hashes (call once). */
    public List<LanguageCut> cuts(double share) {
        List<LanguageCut> cuts = new ArrayList<>(hashes.length);
        for (Language l : Language.values()) {
            long n = hashes[l.ordinal()].size();
            long v = validationCount(share, n);
            if (v == 0) {
                hashes[l.ordinal()] = new LongChunkList();
                // nothing is below MIN_VALUE, and a hash equal to it finds no tie slot
                cuts.add(new LanguageCut(l.id(), n, 0, Long.MIN_VALUE, 0));
                continue;
            }
            long[] sorted = hashes[l.ordinal()].drainSorted();
            long threshold = sorted[(int) v - 1];
            int firstEqual = (int) v - 1;
            while (firstEqual > 0 && sorted[firstEqual - 1] == threshold) {
                firstEqual--;
            }
            cuts.add(new LanguageCut(l.id(), n, v, threshold, v - firstEqual));
        }
        return cuts;
    }
}
