package dev.mole.orchestrator.curation.internal;

/**
 * Counts words as MOLE.md section 3 defines them: maximal runs of characters that are neither whitespace nor one of
 * {@code , ; ( ) { } [ ] + - * / = < > ! & |}. Whitespace is Unicode whitespace ({@link Character#isWhitespace} or a
 * space separator such as NO-BREAK SPACE), like Python's {@code \s}. Works on a char range so code blocks are counted
 * in place, without substrings.
 */
public final class WordCounter {

    private static final boolean[] ASCII_SEPARATOR = new boolean[128];

    static {
        for (char c : ",;(){}[]+-*/=<>!&|".toCharArray()) {
            ASCII_SEPARATOR[c] = true;
        }
        for (int c = 0; c < 128; c++) {
            if (Character.isWhitespace(c)) {
                ASCII_SEPARATOR[c] = true;
            }
        }
    }

    private WordCounter() {}

    public static boolean isSeparator(char c) {
        if (c < 128) {
            return ASCII_SEPARATOR[c];
        }
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }

    public static int count(CharSequence s) {
        return count(s, 0, s.length());
    }

    /** Words in {@code s[from, to)}; a word cut by the range ends counts once. */
    public static int count(CharSequence s, int from, int to) {
        int words = 0;
        boolean inWord = false;
        for (int i = from; i < to; i++) {
            boolean sep = isSeparator(s.charAt(i));
            if (!sep && !inWord) {
                words++;
            }
            inWord = !sep;
        }
        return words;
    }
}
