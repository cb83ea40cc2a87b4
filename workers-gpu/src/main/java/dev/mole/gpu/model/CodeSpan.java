package dev.mole.gpu.model;

import dev.mole.contracts.language.Language;

/**
 * A code block inside one field of a curated record, in Java char (UTF-16) offsets [start, end) of that field.
 * The span covers the block from its opening fence through its closing fence (```tag ... ```); if it does not start with
 * a fence, the whole span is code. {@code field} is "question" or "answer".
 */
public record CodeSpan(String field, int start, int end, Language language) {
    public CodeSpan {
        if (!field.equals("question") && !field.equals("answer")) {
            throw new IllegalArgumentException("span field must be 'question' or 'answer', got '" + field + "'");
        }
        if (start < 0 || end < start) throw new IllegalArgumentException("bad span [" + start + ", " + end + ")");
    }
}
