package dev.mole.gpu.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The text each generated token added, for showing which expert wrote which characters. A token that ends inside a
 * multi-byte character adds "" and the token that completes it carries the character; the pieces always join to the
 * generation's text.
 */
public final class TokenPieces {
    private TokenPieces() {}

    public static List<String> of(LlamaModel model, int[] tokens) {
        IncrementalDetokenizer d = new IncrementalDetokenizer(model.tokenizer());
        List<String> out = new ArrayList<>(tokens.length);
        for (int t : tokens) out.add(d.push(t));
        if (!out.isEmpty()) {
            int last = out.size() - 1;
            out.set(last, out.get(last) + d.finish());
        }
        return out;
    }
}
