package dev.mole.evaluation;

import dev.mole.contracts.language.Language;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;

/**
 * C++, Go, Java, JavaScript and Rust: comments ({@code //}, {@code /* *}{@code /}, nested in Rust), strings, character
 * literals and each language's raw or template forms, with depth counting the braces of code only. A JavaScript
 * template's {@code ${...}} is code again (its own braces balance inside it). Strings that may not span lines end at a
 * newline, so that one stray quote does not swallow the rest of the text.
 */
final class BraceLexer implements Lexer {
    private static final Set<String> JS_WORDS_BEFORE_REGEX = Set.of("return", "typeof", "case", "do", "else", "in", "of",
            "new", "delete", "void", "throw", "instanceof", "yield", "await");
    private static final String JS_CHARS_BEFORE_REGEX = "(,=:[!&|?{};+-*%<>~^";
    private static final Set<String> CPP_RAW_PREFIXES = Set.of("R", "LR", "uR", "UR", "u8R");

    private final Language language;

    BraceLexer(Language language) {
        this.language = language;
    }

    @Override
    public LexedText scan(String t) {
        int n = t.length();
        boolean[] code = new boolean[n + 1];
        int[] depth = new int[n + 1];
        int d = 0;
        // JavaScript templates: -1 marks template text, a value >= 0 a ${...} opened at that brace depth.
        Deque<Integer> templates = new ArrayDeque<>();
        int i = 0;
        while (i < n) {
            if (!templates.isEmpty() && templates.peek() < 0) {
                int end = templateTextEnd(t, i);
                fill(depth, i, end, d);
                i = end;
                if (i < n && t.charAt(i) == '`') {
                    templates.pop();
                    i++;
                } else if (i < n) { // "${"
                    templates.push(d);
                    i += 2;
                }
                continue;
            }
            char c = t.charAt(i);
            code[i] = true;
            depth[i] = d;
            int end = literalEnd(t, i);
            if (end > i) {
                fill(depth, i, end, d);
                i = end;
                continue;
            }
            if (language == Language.JAVASCRIPT && c == '`') {
                templates.push(-1);
                i++;
                continue;
            }
            if (c == '{') {
                d++;
            } else if (c == '}') {
                if (!templates.isEmpty() && templates.peek() >= 0 && templates.peek() == d) {
                    templates.pop(); // the ${...} ends: back to the template's text below it
                    i++;
                    continue;
                }
                d--;
            }
            i++;
        }
        code[n] = templates.isEmpty() || templates.peek() >= 0;
        depth[n] = d;
        return new LexedText(code, depth);
    }

    /** The end of a comment or literal starting at {@code i}, or {@code i} when none starts there. */
    private int literalEnd(String t, int i) {
        char c = t.charAt(i);
        char next = i + 1 < t.length() ? t.charAt(i + 1) : '\0';
        if (c == '/' && next == '/') {
            int nl = t.indexOf('\n', i);
            return nl < 0 ? t.length() : nl;
        }
        if (c == '/' && next == '*') {
            return blockCommentEnd(t, i);
        }
        switch (language) {
            case JAVA -> {
                if (t.startsWith("\"\"\"", i)) {
                    return delimitedEnd(t, i + 3, "\"\"\"", true, true);
                }
            }
            case GO -> {
                if (c == '`') {
                    return delimitedEnd(t, i + 1, "`", false, true);
                }
            }
            case RUST -> {
                int raw = rustPrefixedEnd(t, i);
                if (raw > i) {
                    return raw;
                }
            }
            case CPP -> {
                int raw = cppRawEnd(t, i);
                if (raw > i) {
                    return raw;
                }
            }
            case JAVASCRIPT -> {
                if (c == '/' && regexAllowed(t, i)) {
                    int end = regexEnd(t, i);
                    if (end > i) {
                        return end;
                    }
                }
            }
            default -> { }
        }
        if (c == '"') {
            return delimitedEnd(t, i + 1, "\"", true, language == Language.RUST);
        }
        if (c == '\'') {
            return quoteEnd(t, i);
        }
        return i;
    }

    private int quoteEnd(String t, int i) {
        return switch (language) {
            case JAVASCRIPT -> delimitedEnd(t, i + 1, "'", true, false);
            case RUST -> rustLifetime(t, i) ? i : delimitedEnd(t, i + 1, "'", true, false);
            case CPP -> digitSeparator(t, i) ? i : delimitedEnd(t, i + 1, "'", true, false);
            default -> delimitedEnd(t, i + 1, "'", true, false);
        };
    }

    private int blockCommentEnd(String t, int i) {
        int nesting = 1;
        int j = i + 2;
        while (j < t.length()) {
            if (t.startsWith("*/", j)) {
                if (--nesting == 0) {
                    return j + 2;
                }
                j += 2;
            } else if (language == Language.RUST && t.startsWith("/*", j)) {
                nesting++;
                j += 2;
            } else {
                j++;
            }
        }
        return t.length();
    }

    /** From {@code from} (inside the literal) to just after {@code close}; the end of the line ends it unless multiline. */
    private static int delimitedEnd(String t, int from, String close, boolean escapes, boolean multiline) {
        int j = from;
        while (j < t.length()) {
            char c = t.charAt(j);
            if (escapes && c == '\\') {
                j += 2;
            } else if (t.startsWith(close, j)) {
                return j + close.length();
            } else if (c == '\n' && !multiline) {
                return j;
            } else {
                j++;
            }
        }
        return t.length();
    }

    /** Rust's {@code r"..."}, {@code r#"..."#}, {@code b"..."}, {@code br#"..."#}, {@code b'x'}, where a word does not go on. */
    private static int rustPrefixedEnd(String t, int i) {
        if (i > 0 && isIdentifierPart(t.charAt(i - 1))) {
            return i;
        }
        int j = i;
        if (j < t.length() && t.charAt(j) == 'b') {
            j++;
            if (j < t.length() && t.charAt(j) == '\'') {
                return delimitedEnd(t, j + 1, "'", true, false);
            }
            if (j < t.length() && t.charAt(j) == '"') {
                return delimitedEnd(t, j + 1, "\"", true, true);
            }
        }
        if (j < t.length() && t.charAt(j) == 'r') {
            int k = j + 1;
            while (k < t.length() && t.charAt(k) == '#') {
                k++;
            }
            if (k < t.length() && t.charAt(k) == '"') {
                return delimitedEnd(t, k + 1, "\"" + "#".repeat(k - j - 1), false, true);
            }
        }
        return i;
    }

    /** {@code 'a} not followed by a closing quote is a lifetime or label; {@code 'a'}, {@code '\n'} are characters. */
    private static boolean rustLifetime(String t, int i) {
        if (i + 1 >= t.length() || t.charAt(i + 1) == '\\') {
            return false;
        }
        int width = Character.isHighSurrogate(t.charAt(i + 1)) ? 2 : 1;
        int close = i + 1 + width;
        return close >= t.length() || t.charAt(close) != '\'';
    }

    /** C++14's {@code 1'000'000}: a quote inside a number is no character literal. */
    private static boolean digitSeparator(String t, int i) {
        int start = i;
        while (start > 0 && (isIdentifierPart(t.charAt(start - 1)) || t.charAt(start - 1) == '\'')) {
            start--;
        }
        return start < i && Character.isDigit(t.charAt(start)) && i + 1 < t.length()
                && Character.digit(t.charAt(i + 1), 16) >= 0;
    }

    /** C++11's {@code R"delim(...)delim"} with its encoding prefixes. */
    private static int cppRawEnd(String t, int i) {
        if (t.charAt(i) != '"' || i == 0) {
            return i;
        }
        int start = i;
        while (start > 0 && isIdentifierPart(t.charAt(start - 1))) {
            start--;
        }
        if (!CPP_RAW_PREFIXES.contains(t.substring(start, i))) {
            return i;
        }
        int open = t.indexOf('(', i + 1);
        if (open < 0 || open - i - 1 > 16 || t.substring(i + 1, open).matches(".*[\\s\\\\)\"].*")) {
            return i;
        }
        String close = ")" + t.substring(i + 1, open) + "\"";
        int end = t.indexOf(close, open + 1);
        return end < 0 ? t.length() : end + close.length();
    }

    /** A slash starts a regular expression where a value, not an operator, is expected. */
    private static boolean regexAllowed(String t, int i) {
        if (i + 1 < t.length() && (t.charAt(i + 1) == '/' || t.charAt(i + 1) == '*')) {
            return false;
        }
        int p = i - 1;
        while (p >= 0 && Character.isWhitespace(t.charAt(p))) {
            p--;
        }
        if (p < 0) {
            return true;
        }
        char c = t.charAt(p);
        if (JS_CHARS_BEFORE_REGEX.indexOf(c) >= 0) {
            return true;
        }
        if (!isIdentifierPart(c)) {
            return false;
        }
        int start = p;
        while (start > 0 && isIdentifierPart(t.charAt(start - 1))) {
            start--;
        }
        return JS_WORDS_BEFORE_REGEX.contains(t.substring(start, p + 1));
    }

    /** The end of {@code /body/flags}, or {@code i} when the line ends first (then it was a division after all). */
    private static int regexEnd(String t, int i) {
        boolean inClass = false;
        int j = i + 1;
        while (j < t.length()) {
            char c = t.charAt(j);
            if (c == '\n') {
                return i;
            } else if (c == '\\') {
                j += 2;
                continue;
            } else if (c == '[') {
                inClass = true;
            } else if (c == ']') {
                inClass = false;
            } else if (c == '/' && !inClass) {
                j++;
                while (j < t.length() && Character.isLetter(t.charAt(j))) {
                    j++;
                }
                return j;
            }
            j++;
        }
        return t.length();
    }

    /** Template text from {@code i} up to its closing backtick or the next {@code ${} (or the end). */
    private static int templateTextEnd(String t, int i) {
        int j = i;
        while (j < t.length()) {
            char c = t.charAt(j);
            if (c == '\\') {
                j += 2;
            } else if (c == '`' || t.startsWith("${", j)) {
                return j;
            } else {
                j++;
            }
        }
        return t.length();
    }

    private static boolean isIdentifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    private static void fill(int[] depth, int from, int to, int d) {
        for (int k = from; k < to && k < depth.length; k++) {
            depth[k] = d;
        }
    }
}
