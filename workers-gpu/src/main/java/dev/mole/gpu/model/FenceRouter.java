package dev.mole.gpu.model;

import java.util.List;

/**
 * Automated routing of generated text: the route of a new token is what the training labeller would give it, applied to the
 * response text so far ({@link FenceScanner}): code of language l from the first token after a known fence tag through the
 * closing fence, NL elsewhere. A tag still being written is not yet a switch; an unclosed block runs to the end.
 */
public final class FenceRouter {
    private final StringBuilder text = new StringBuilder();

    /** Appends a token's text and returns its route. */
    public int next(String tokenText) {
        int start = text.length();
        text.append(tokenText);
        String t = text.toString();
        List<CodeSpan> spans = FenceScanner.scan(t, "answer");
        for (CodeSpan s : spans) {
            int codeStart = FenceScanner.codeStart(t, s);
            if (start >= codeStart && start < s.end()) return Route.code(s.language());
        }
        return Route.NL;
    }

    public String text() {
        return text.toString();
    }
}
