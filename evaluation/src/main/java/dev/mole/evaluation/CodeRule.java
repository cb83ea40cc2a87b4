package dev.mole.evaluation;

import dev.mole.contracts.language.Language;

/**
 * The end of a code answer (docs/evaluation-protocol.md, "Where a completion ends"): the closing fence (or the
 * template's next {@code @@} marker), else where the function the code start opened is over: for brace languages when
 * the braces the code start left open are closed (Java: the class as well as the method, so helper methods stay in),
 * for Python at the first line outside the function; except that definitions after the function (helpers) continue
 * the answer, see {@link TopLevelItems}.
 */
final class CodeRule implements StopRule {
    private enum Region { KEPT, PENDING }

    private final Language language;
    private final String codeStart;
    private final Lexer lexer;

    CodeRule(Language language, String codeStart) {
        this.language = language;
        this.codeStart = codeStart;
        this.lexer = Lexer.of(language);
    }

    @Override
    public int cut(String generated) {
        return scan(generated, false);
    }

    @Override
    public int finalCut(String generated) {
        return scan(generated, true);
    }

    /**
     * Lexes code start + generated (tokens may straddle the boundary) and walks the generated part once. {@code kept}
     * is the end of the last non-blank character of the answer so far; comments at the top level wait (PENDING) for the
     * line that decides whether they belong to a definition after them or are dropped with what ends the answer.
     */
    private int scan(String generated, boolean finished) {
        String text = codeStart + generated;
        int start = codeStart.length();
        LexedText lx = lexer.scan(text);
        boolean python = language == Language.PYTHON;
        // Brace languages: the function is open while the braces the code start opened are. Python: until a line outside it.
        boolean functionOpen = python || lx.depth(start) > 0;
        Region region = Region.KEPT;
        int kept = start;
        for (int i = start; i < text.length(); i++) {
            boolean lineStart = i == 0 || text.charAt(i - 1) == '\n';
            if (lineStart && closesAnswer(text, i)) {
                return kept - start;
            }
            if (!lineStart && lx.inCode(i) && text.startsWith("```", i)) {
                return kept - start;
            }
            if (lineStart && lx.inCode(i) && lx.depth(i) <= 0 && (python || !functionOpen) && !continued(text, i, lx)) {
                int lineEnd = text.indexOf('\n', i);
                String line = text.substring(i, lineEnd < 0 ? text.length() : lineEnd);
                if (!line.isBlank()) {
                    boolean indented = python && (line.charAt(0) == ' ' || line.charAt(0) == '\t');
                    if (indented) {
                        region = Region.KEPT; // still inside the function (or its comment was inside it)
                    } else {
                        if (lineEnd < 0 && !finished) {
                            return -1; // the rest of this line decides
                        }
                        switch (TopLevelItems.classify(language, line.strip())) {
                            case DEFINITION -> region = Region.KEPT;
                            case COMMENT -> region = Region.PENDING;
                            case END -> {
                                return kept - start;
                            }
                        }
                    }
                }
            }
            char c = text.charAt(i);
            if (!python && c == '}' && lx.inCode(i)) {
                if (lx.depth(i + 1) < 0) {
                    return kept - start; // a brace the code start never opened
                }
                if (functionOpen && lx.depth(i + 1) == 0) {
                    functionOpen = false;
                    if (language == Language.JAVA) {
                        return i + 1 - start;
                    }
                }
            }
            if (region == Region.KEPT && !Character.isWhitespace(c)) {
                kept = i + 1;
            }
        }
        return finished ? kept - start : -1;
    }

    /** A line that ends the fenced answer: the closing fence, or the template's next section marker. */
    static boolean closesAnswer(String text, int lineStart) {
        int j = lineStart;
        while (j < text.length() && (text.charAt(j) == ' ' || text.charAt(j) == '\t')) {
            j++;
        }
        return text.startsWith("```", j) || text.startsWith("@@ ", j);
    }

    /** Python: a line after a backslash continuation does not start a statement. */
    private boolean continued(String text, int lineStart, LexedText lx) {
        return language == Language.PYTHON && lineStart >= 2 && text.charAt(lineStart - 2) == '\\' && lx.inCode(lineStart - 2);
    }
}
