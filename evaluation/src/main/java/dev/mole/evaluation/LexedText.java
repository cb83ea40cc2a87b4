package dev.mole.evaluation;

/**
 * A text scanned once by a {@link Lexer}: for every position, whether the lexer is in code there (not inside a string,
 * character literal or comment) and how deep in brackets. Index {@code i} describes the state before character
 * {@code i}; index {@code length} the state at the end.
 */
final class LexedText {
    private final boolean[] code;
    private final int[] depth;

    LexedText(boolean[] code, int[] depth) {
        this.code = code;
        this.depth = depth;
    }

    /** In code before position {@code i}: a construct starting here (a quote, a comment) is code; its inside is not. */
    boolean inCode(int i) {
        return code[i];
    }

    /** Open braces (brace languages) or open brackets of any kind (Python) before position {@code i}. */
    int depth(int i) {
        return depth[i];
    }
}
