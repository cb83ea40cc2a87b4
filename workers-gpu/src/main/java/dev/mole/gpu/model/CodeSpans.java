package dev.mole.gpu.model;

import dev.mole.contracts.curation.FenceMode;
import dev.mole.contracts.language.CodeBlock;
import dev.mole.contracts.language.FenceParser;
import java.util.ArrayList;
import java.util.List;

/**
 * The code spans of one field, found by the platform's one fence grammar ({@link FenceParser}, the same code curation
 * stores spans with): inference labels prompts with it, so a prompt is routed exactly as a training record of the same
 * text was labelled.
 */
public final class CodeSpans {
    /** Curation's default mode; a model trained on a STRICT dataset can be given that grammar instead. */
    public static final FenceParser DEFAULT_GRAMMAR = FenceParser.forMode(FenceMode.NORMALIZED);

    private CodeSpans() {}

    public static List<CodeSpan> of(String text, String field) {
        return of(text, field, DEFAULT_GRAMMAR);
    }

    public static List<CodeSpan> of(String text, String field, FenceParser grammar) {
        List<CodeSpan> out = new ArrayList<>();
        for (CodeBlock b : grammar.scan(text).blocks()) {
            out.add(new CodeSpan(field, b.spanStart(), b.spanEnd(), b.language()));
        }
        return out;
    }
}
