package dev.mole.orchestrator.curation.internal;

import dev.mole.contracts.language.CodeBlock;

import dev.mole.contracts.language.Language;
import dev.mole.contracts.curation.FenceMode;
import dev.mole.orchestrator.curation.CurationStatistics;
import dev.mole.orchestrator.curation.CurationStatistics.LanguageRow;
import dev.mole.orchestrator.curation.CurationStatistics.TagCount;
import dev.mole.orchestrator.curation.CurationStatistics.TagRule;
import dev.mole.orchestrator.curation.DropReason;
import dev.mole.orchestrator.curation.SplitPlan.LanguageCut;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts for the report, gathered in the plan pass. Memory is bounded: tag maps keep at most
 * {@link #MAX_DISTINCT_TAGS} distinct tags of at most {@link #MAX_TAG_CHARS} chars; later new tags are not counted
 * (real data has a few thousand, a hostile file could have millions).
 */
public final class StatisticsAccumulator {
    static final int MAX_DISTINCT_TAGS = 50_000;
    static final int MAX_TAG_CHARS = 64;
    static final int TOP_UNKNOWN = 20;

    private long inputRows;
    private long keptRows;
    private final long[] dropped = new long[DropReason.values().length];
    private final long[] samples = new long[Language.count()];
    private final long[] blocks = new long[Language.count()];
    private final long[] codeWords = new long[Language.count()];
    private final Map<String, long[]> tagRules = new HashMap<>();
    private final Map<String, Language> tagLanguage = new HashMap<>();
    private final Map<String, long[]> unknownTags = new HashMap<>();
    private long unterminated;

    public void rowRead() {
        inputRows++;
    }

    public void dropped(DropReason reason) {
        dropped[reason.ordinal()]++;
    }

    /** Records a readable row's classification (kept or dropped). */
    public void classified(Classification c) {
        if (c.kept()) {
            keptRows++;
            samples[c.mainLanguage().ordinal()]++;
            for (int l = 0; l < Language.count(); l++) {
                codeWords[l] += c.wordsByLanguage()[l];
            }
        } else {
            dropped[c.drop().ordinal()]++;
        }
        unterminated += c.unterminatedFences();
        List<String> seenTags = new ArrayList<>(4);
        countBlocks(c.questionBlocks(), c.kept(), seenTags);
        countBlocks(c.answerBlocks(), c.kept(), seenTags);
        List<String> seenUnknown = new ArrayList<>(2);
        for (String tag : c.unknownTags()) {
            String t = clip(tag);
            if (seenUnknown.contains(t)) {
                continue;
            }
            seenUnknown.add(t);
            long[] n = unknownTags.get(t);
            if (n == null && unknownTags.size() < MAX_DISTINCT_TAGS) {
                n = new long[1];
                unknownTags.put(t, n);
            }
            if (n != null) {
                n[0]++;
            }
        }
    }

    private void countBlocks(List<CodeBlock> list, boolean kept, List<String> seenTags) {
        for (CodeBlock b : list) {
            if (kept) {
                blocks[b.language().ordinal()]++;
            }
            String t = clip(b.tag());
            long[] n = tagRules.get(t);
            if (n == null) {
                if (tagRules.size() >= MAX_DISTINCT_TAGS) {
                    continue;
                }
                n = new long[4];
                tagRules.put(t, n);
                tagLanguage.put(t, b.language());
            }
            boolean first = !seenTags.contains(t);
            if (first) {
                seenTags.add(t);
            }
            n[0]++;
            n[1] += first ? 1 : 0;
            n[2] += kept ? 1 : 0;
            n[3] += kept && first ? 1 : 0;
        }
    }

    private static String clip(String tag) {
        return tag.length() <= MAX_TAG_CHARS ? tag : tag.substring(0, MAX_TAG_CHARS);
    }

    public long inputRows() {
        return inputRows;
    }

    public long keptRows() {
        return keptRows;
    }

    public CurationStatistics build(FenceMode mode, List<LanguageCut> cuts) {
        Map<String, Long> byReason = new TreeMap<>();
        long droppedRows = 0;
        for (DropReason r : DropReason.values()) {
            byReason.put(r.code(), dropped[r.ordinal()]);
            droppedRows += dropped[r.ordinal()];
        }
        List<LanguageRow> table = new ArrayList<>();
        long validation = 0;
        for (Language l : Language.values()) {
            LanguageCut cut = cuts.stream().filter(c -> c.language().equals(l.id())).findFirst().orElseThrow();
            long n = samples[l.ordinal()];
            table.add(new LanguageRow(l.id(), l.tableName(), n, n - cut.validationRows(), cut.validationRows(),
                    blocks[l.ordinal()], codeWords[l.ordinal()]));
            validation += cut.validationRows();
        }
        List<TagRule> rules = new ArrayList<>();
        new TreeMap<>(tagRules).forEach((tag, n) ->
                rules.add(new TagRule(tag, tagLanguage.get(tag).id(), n[0], n[1], n[2], n[3])));
        List<TagCount> top = unknownTags.entrySet().stream()
                .map(e -> new TagCount(e.getKey(), e.getValue()[0]))
                .sorted(Comparator.comparingLong(TagCount::samples).reversed().thenComparing(TagCount::tag))
                .limit(TOP_UNKNOWN)
                .toList();
        return new CurationStatistics(mode.name(), inputRows, keptRows, droppedRows, keptRows - validation, validation,
                byReason, table, rules, top, unknownTags.size(), unterminated);
    }
}
