package dev.mole.orchestrator.curation.internal;

/**
 * Counts words as MOLE.md section 3 defines them: maximal runs of characters that are neither whitespace nor one of
 * {@code , ; ( ) { } [ ] + - * / = < > ! & |}. Whitespace is what Python's {@code str.isspace()} accepts: the
 * ASCII whitespace controls, U+0085, and the Unicode space, line and paragraph separators (NO-BREAK SPACE included).
 * Works on a char range so code blocks are counted in place, without substrings.
 */
public final class WordCounter {

    /** One flag per UTF-16 char (64 KB): a single load per char in the hottest loop of both passes. */
    private static final boolean[] SEPARATOR = new boolean[65536];

    static {
        for (char c : ",;(){}[]+-*/=<>!&|".toCharArray()) {
            SEPARATOR[c] = true;
        }
        for (int c = 0; c < 65536; c++) {
            if (c < 128 ? Character.isWhitespace(c) : isUnicodeSpace(c)) {
                SEPARATOR[c] = true;
            }
        }
    }

    private WordCounter() {}

    private static boolean isUnicodeSpace(int c) {
        return c == 0x85 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029
                || c == 0x202F || c == 0x205F || c == 0x3000;
    }

    public static boolean isSeparator(char c) {
        return SEPARATOR[c];
    }

    public static int count(String s) {
        return count(s, 0, s.length());
    }

    /** Words in {@code s[from, to)}; a word cut by the range ends counts once. */
    public static int count(String s, int from, int to) {
        final boolean[] table = SEPARATOR;
        int words = 0;
        boolean inWord = false;
        for (int i = from; i < to; i++) {
            boolean sep = table[s.charAt(i)];
            if (!sep && !inWord) {
                words++;
            }
            inWord = !sep;
        }
        return words;
    }
}
