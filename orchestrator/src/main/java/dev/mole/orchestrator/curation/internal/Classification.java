package dev.mole.orchestrator.curation.internal;

import dev.mole.contracts.language.CodeBlock;

import dev.mole.contracts.language.Language;
import dev.mole.orchestrator.curation.DropReason;
import java.util.List;

/**
 * The verdict on one readable sample.
 *
 * @param drop            why it is dropped, or null when kept
 * @param mainLanguage    the kept sample's language (null when dropped for a fence problem or no code)
 * @param questionBlocks  known-language blocks in the question
 * @param answerBlocks    known-language blocks in the answer
 * @param codeWords       words inside code blocks, question + answer
 * @param totalWords      all words, question + answer
 * @param wordsByLanguage code words per {@link Language#ordinal()}
 * @param unknownTags     unknown tags seen in the sample (may repeat)
 */
public record Classification(DropReason drop, Language mainLanguage, List<CodeBlock> questionBlocks,
        List<CodeBlock> answerBlocks, long codeWords, long totalWords, long[] wordsByLanguage,
        List<String> unknownTags) {

    public boolean kept() {
        return drop == null;
    }

    public int unterminatedFences() {
        int n = 0;
        for (CodeBlock b : questionBlocks) {
            n += b.terminated() ? 0 : 1;
        }
        for (CodeBlock b : answerBlocks) {
            n += b.terminated() ? 0 : 1;
        }
        return n;
    }
}
