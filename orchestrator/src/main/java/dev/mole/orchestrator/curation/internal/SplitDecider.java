package dev.mole.orchestrator.curation.internal;

import dev.mole.contracts.language.Language;
import dev.mole.orchestrator.curation.SplitPlan.LanguageCut;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Write side of the stratified split: applies the plan's cuts to rows seen in input order. */
public final class SplitDecider {
    private final long[] threshold = new long[Language.count()];
    private final long[] ties = new long[Language.count()];
    private final long[] tiesTaken = new long[Language.count()];

    public SplitDecider(List<LanguageCut> cuts, Map<String, Long> tiesAlreadyTaken) {
        for (LanguageCut c : cuts) {
            int l = Language.byId(c.language()).ordinal();
            threshold[l] = c.thresholdHash();
            ties[l] = c.tiesAtThreshold();
        }
        if (tiesAlreadyTaken != null) {
            tiesAlreadyTaken.forEach((id, n) -> tiesTaken[Language.byId(id).ordinal()] = n);
        }
    }

    /** Must be called for every kept row, in input order, exactly once. */
    public boolean isValidation(Language language, long hash) {
        int l = language.ordinal();
        if (hash < threshold[l]) {
            return true;
        }
        if (hash == threshold[l] && tiesTaken[l] < ties[l]) {
            tiesTaken[l]++;
            return true;
        }
        return false;
    }

    public long[] tiesTakenSnapshot() {
        return tiesTaken.clone();
    }

    public static Map<String, Long> asMap(long[] taken) {
        Map<String, Long> m = new TreeMap<>();
        for (Language l : Language.values()) {
            m.put(l.id(), taken[l.ordinal()]);
        }
        return m;
    }
}
