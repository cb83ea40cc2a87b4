package dev.mole.orchestrator.curation.internal;

/**
 * The paper's filter: keep a sample only if at least a third of its words (question + answer) are inside code blocks.
 * Integer form {@code codeWords * 3 >= totalWords} so the boundary is exact (no floating point).
 *
 * <p>The paper's text says "characters"; docs/mole-protocol.md section 3 fixes words, and that is what we implement.
 */
public final class CodeShareFilter {
    private CodeShareFilter() {}

    public static boolean keeps(long codeWords, long totalWords) {
        return codeWords * 3 >= totalWords;
    }
}
