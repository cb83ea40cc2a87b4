package dev.mole.orchestrator.curation.internal;

import dev.mole.contracts.language.CodeBlock;

import dev.mole.contracts.language.FenceScan;

import dev.mole.contracts.language.FenceParser;

import dev.mole.contracts.language.Language;
import dev.mole.contracts.curation.FenceMode;
import dev.mole.orchestrator.curation.DropReason;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies docs/mole-protocol.md section 3 to one question/answer pair, in this order (the first failing rule names the drop):
 * <ol>
 *   <li>fence problems in question then answer, in text order: the first unknown tag or unlabelled fence drops the
 *       whole sample (reference behaviour);
 *   <li>no code block at all: {@link DropReason#NO_CODE_BLOCK};
 *   <li>{@link CodeShareFilter}: code words x 3 must reach the total words of question + answer. Code words are the
 *       words of block contents (between the opening line and the closing fence); the fence markers and tags are
 *       ordinary (non-code) words of the total, as they would be for the reference, which split the raw text.
 * </ol>
 * Main language: the one with most code words; a tie goes to the tied language whose first block comes first
 * (question before answer, then by position), because that is what the sample is "about" first and it needs no table.
 * Not thread-safe (it reuses a scratch buffer); one per pass.
 */
public final class SampleClassifier {

    private final FenceParser parser;
    private final WordCounter words = new WordCounter();

    public SampleClassifier(FenceMode mode) {
        this.parser = FenceParser.forMode(mode);
    }

    public Classification classify(String question, String answer) {
        FenceScan q = parser.scan(question);
        FenceScan a = parser.scan(answer);
        List<String> unknown = q.unknownTags().isEmpty() ? a.unknownTags() : concat(q.unknownTags(), a.unknownTags());
        long[] byLanguage = new long[Language.count()];
        DropReason problem = DropReason.of(q.firstProblem() != null ? q.firstProblem() : a.firstProblem());
        if (problem != null) {
            return new Classification(problem, null, q.blocks(), a.blocks(), 0, 0, byLanguage, unknown);
        }
        if (q.blocks().isEmpty() && a.blocks().isEmpty()) {
            return new Classification(DropReason.NO_CODE_BLOCK, null, q.blocks(), a.blocks(), 0, 0, byLanguage,
                    unknown);
        }
        int[] firstSeen = new int[Language.count()];
        java.util.Arrays.fill(firstSeen, Integer.MAX_VALUE);
        int order = 0;
        long code = 0;
        words.load(question);
        long total = words.countLoaded(0, question.length());
        for (CodeBlock b : q.blocks()) {
            int w = words.countLoaded(b.contentStart(), b.contentEnd());
            code += w;
            byLanguage[b.language().ordinal()] += w;
            firstSeen[b.language().ordinal()] = Math.min(firstSeen[b.language().ordinal()], order++);
        }
        words.load(answer);
        total += words.countLoaded(0, answer.length());
        for (CodeBlock b : a.blocks()) {
            int w = words.countLoaded(b.contentStart(), b.contentEnd());
            code += w;
            byLanguage[b.language().ordinal()] += w;
            firstSeen[b.language().ordinal()] = Math.min(firstSeen[b.language().ordinal()], order++);
        }
        Language main = null;
        for (int l = 0; l < byLanguage.length; l++) {
            if (firstSeen[l] == Integer.MAX_VALUE) {
                continue;
            }
            if (main == null || byLanguage[l] > byLanguage[main.ordinal()]
                    || (byLanguage[l] == byLanguage[main.ordinal()] && firstSeen[l] < firstSeen[main.ordinal()])) {
                main = Language.at(l);
            }
        }
        DropReason drop = CodeShareFilter.keeps(code, total) ? null : DropReason.LOW_CODE_SHARE;
        return new Classification(drop, main, q.blocks(), a.blocks(), code, total, byLanguage, unknown);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a.size() + b.size());
        all.addAll(a);
        all.addAll(b);
        return all;
    }
}
