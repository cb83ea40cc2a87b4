package dev.mole.orchestrator.curation;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The curation report. Everything here follows from the plan pass, so a resumed write pass reports exactly the same.
 *
 * @param fenceMode           {@code NORMALIZED} or {@code STRICT}
 * @param droppedByReason     every {@link DropReason#code()} with its count (zeros included, sorted by code)
 * @param languages           the paper's Table I: one row per language in Table I order (C, C++, C#, Go, Java, JS,
 *                            Python, Rust), samples by main language
 * @param tagRules            per fence tag that mapped to a language (the alias as written, lower-cased): what it kept
 * @param unknownTags         the most frequent unknown tags (top 20, by samples, then tag)
 * @param distinctUnknownTags how many different unknown tags were seen (counted up to a cap, see the plan pass)
 * @param unterminatedFences  known-language fences that ran to the end of their text (NORMALIZED mode only: in STRICT
 *                            mode an unclosed fence is no block), in all samples whose fences were read
 */
public record CurationStatistics(
        String fenceMode,
        long inputRows,
        long keptRows,
        long droppedRows,
        long trainRows,
        long validationRows,
        Map<String, Long> droppedByReason,
        List<LanguageRow> languages,
        List<TagRule> tagRules,
        List<TagCount> unknownTags,
        long distinctUnknownTags,
        long unterminatedFences) {

    public CurationStatistics {
        droppedByReason = Collections.unmodifiableMap(new TreeMap<>(droppedByReason));
        languages = List.copyOf(languages);
        tagRules = List.copyOf(tagRules);
        unknownTags = List.copyOf(unknownTags);
    }

    /**
     * One line of Table I.
     *
     * @param language    canonical id ({@code cpp})
     * @param displayName the paper's name ({@code C++})
     * @param samples     kept samples whose main language this is
     * @param codeBlocks  blocks in this language in kept samples (whatever their main language)
     * @param codeWords   code words in this language in kept samples
     */
    public record LanguageRow(String language, String displayName, long samples, long trainSamples,
            long validationSamples, long codeBlocks, long codeWords) {}

    /**
     * What one tag rule (alias) did.
     *
     * @param tag         the tag as written, lower-cased ({@code py}, {@code c++}); in STRICT mode the word-character run
     * @param language    the language it maps to
     * @param blocks      blocks with this tag in samples whose fences were read (dropped samples included)
     * @param samples     samples with at least one such block
     * @param keptBlocks  such blocks in kept samples
     * @param keptSamples kept samples with at least one such block
     */
    public record TagRule(String tag, String language, long blocks, long samples, long keptBlocks, long keptSamples) {}

    /** An unknown tag and the number of samples it appeared in (each such sample was dropped). */
    public record TagCount(String tag, long samples) {}
}
