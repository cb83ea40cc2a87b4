package dev.mole.gpu.model;

import dev.mole.contracts.language.CodeBlock;
import dev.mole.contracts.language.FenceParser;

/**
 * Automated routing of generated text (docs/mole-protocol.md, "Inference"): a new token gets the label its first character
 * has when the response so far, this token included, is read by the same fence grammar that labelled the training data
 * ({@link CodeSpans}): code of language l from the first character after a known fence tag through the closing fence,
 * NL elsewhere. So a tag still being written is not yet a switch (its characters are part of the fence), and an
 * unclosed block runs to the end.
 *
 * <p>The decision is causal: a token's route is fixed when it is fed back, so text generated later on the same line
 * cannot change it. In the grammar only two things look ahead on a line (a backtick later in an opening fence's info
 * string makes it prose; text after a closing run makes it content); training would label such a line differently from
 * what was already fed. Both are rare in code answers and are accepted.
 */
public final class FenceRouter {
    private final StringBuilder text = new StringBuilder();
    private final FenceParser grammar;

    public FenceRouter() {
        this("");
    }

    /** @param responsePrefix the response text the prompt already holds (e.g. an opening fence and a signature) */
    public FenceRouter(String responsePrefix) {
        this(responsePrefix, CodeSpans.DEFAULT_GRAMMAR);
    }

    public FenceRouter(String responsePrefix, FenceParser grammar) {
        this.grammar = grammar;
        text.append(responsePrefix);
    }

    /** Appends a token's text and returns its route. */
    public int next(String tokenText) {
        int start = text.length();
        text.append(tokenText);
        for (CodeBlock b : grammar.scan(text.toString()).blocks()) {
            if (start >= b.spanStart() && start < b.spanEnd()) {
                return Route.code(b.language());
            }
        }
        return Route.NL;
    }

    public String text() {
        return text.toString();
    }
}
