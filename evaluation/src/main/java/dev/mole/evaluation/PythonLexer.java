package dev.mole.evaluation;

/**
 * Python: {@code #} comments, single- and triple-quoted strings (any prefix: {@code r}, {@code b}, {@code f}; a backslash
 * keeps the next character inside the string in all of them), depth over {@code ( [ {}. A single-quoted string ends at a
 * newline it should not contain, so one stray quote does not swallow the rest of the text.
 */
final class PythonLexer implements Lexer {

    @Override
    public LexedText scan(String t) {
        int n = t.length();
        boolean[] code = new boolean[n + 1];
        int[] depth = new int[n + 1];
        int d = 0;
        int i = 0;
        while (i < n) {
            char c = t.charAt(i);
            int end;
            if (c == '#') {
                end = lineEnd(t, i);
            } else if (c == '"' || c == '\'') {
                end = t.startsWith(String.valueOf(c).repeat(3), i) ? tripleEnd(t, i, c) : singleEnd(t, i, c);
            } else {
                code[i] = true;
                depth[i] = d;
                if (c == '(' || c == '[' || c == '{') {
                    d++;
                } else if (c == ')' || c == ']' || c == '}') {
                    d--;
                }
                i++;
                continue;
            }
            code[i] = true;
            for (int k = i; k < end; k++) {
                depth[k] = d;
            }
            i = end;
        }
        code[n] = true;
        depth[n] = d;
        return new LexedText(code, depth);
    }

    private static int lineEnd(String t, int i) {
        int nl = t.indexOf('\n', i);
        return nl < 0 ? t.length() : nl;
    }

    private static int singleEnd(String t, int i, char quote) {
        int j = i + 1;
        while (j < t.length()) {
            char c = t.charAt(j);
            if (c == '\\') {
                j += 2;
            } else if (c == quote) {
                return j + 1;
            } else if (c == '\n') {
                return j;
            } else {
                j++;
            }
        }
        return t.length();
    }

    private static int tripleEnd(String t, int i, char quote) {
        String close = String.valueOf(quote).repeat(3);
        int j = i + 3;
        while (j < t.length()) {
            if (t.charAt(j) == '\\') {
                j += 2;
            } else if (t.startsWith(close, j)) {
                return j + 3;
            } else {
                j++;
            }
        }
        return t.length();
    }
}
