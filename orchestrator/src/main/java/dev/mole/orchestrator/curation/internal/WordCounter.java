package dev.mole.orchestrator.curation.internal;

/**
 * Counts words as docs/mole-protocol.md section 3 defines them: maximal runs of characters that are neither whitespace nor one of
 * {@code , ; ( ) { } [ ] + - * / = < > ! & |}. Whitespace is what Python's {@code str.isspace()} accepts: the
 * ASCII whitespace controls, U+0085, and the Unicode space, line and paragraph separators (NO-BREAK SPACE included).
 *
 * <p>This is the hottest loop of both passes, so an instance copies a field once into a reusable char array
 * ({@link #load}) and counts ranges of it ({@link #countLoaded}) without branches: a table lookup per char, and a word
 * starts where a separator is followed by a non-separator. Not thread-safe; one per pass.
 */
public final class WordCounter {

    /** 1 for a separator, 0 for a word char; one entry per UTF-16 char (64 KB). */
    private static final byte[] SEPARATOR = new byte[65536];

    static {
        for (char c : ",;(){}[]+-*/=<>!&|".toCharArray()) {
            SEPARATOR[c] = 1;
        }
        for (int c = 0; c < 65536; c++) {
            if (c < 128 ? Character.isWhitespace(c) : isUnicodeSpace(c)) {
                SEPARATOR[c] = 1;
            }
        }
    }

    private char[] chars = new char[1 << 12];
    private int length;

    private static boolean isUnicodeSpace(int c) {
        return c == 0x85 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029
                || c == 0x202F || c == 0x205F || c == 0x3000;
    }

    public static boolean isSeparator(char c) {
        return SEPARATOR[c] != 0;
    }

    /** Copies {@code s} into the scratch array for {@link #countLoaded}. */
    public void load(String s) {
        int n = s.length();
        if (chars.length < n) {
            chars = new char[Math.max(n, chars.length * 2)];
        }
        s.getChars(0, n, chars, 0);
        length = n;
    }

    /** Words in {@code [from, to)} of the loaded text; a word cut by the range ends counts once. */
    public int countLoaded(int from, int to) {
        if (from < 0 || to > length || from > to) {
            throw new IndexOutOfBoundsException(from + ".." + to + " of " + length);
        }
        final char[] c = chars;
        final byte[] table = SEPARATOR;
        int words = 0;
        int previousSeparator = 1;
        for (int i = from; i < to; i++) {
            int separator = table[c[i]];
            words += previousSeparator & (separator ^ 1);
            previousSeparator = separator;
        }
        return words;
    }

    public static int count(String s) {
        return count(s, 0, s.length());
    }

    /** Convenience for one-off counts (allocates a scratch array). */
    public static int count(String s, int from, int to) {
        WordCounter w = new WordCounter();
        w.load(s);
        return w.countLoaded(from, to);
    }
}
