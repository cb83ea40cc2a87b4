package dev.mole.gpu.model;

import dev.mole.contracts.language.Language;

/**
 * A code block inside one field of a curated record, in Java char (UTF-16) offsets [start, end) of that field.
 * Every character in it is code: it starts right after the opening fence's tag (usually at the newline) and ends after
 * the closing fence, as curation stores spans ({@link CodeSpans}). {@code field} is "question" or "answer".
 */
public record CodeSpan(String field, int start, int end, Language language) {
    public CodeSpan {
        if (!field.equals("question") && !field.equals("answer")) {
            throw new IllegalArgumentException("span field must be 'question' or 'answer', got '" + field + "'");
        }
        if (start < 0 || end < start) throw new IllegalArgumentException("bad span [" + start + ", " + end + ")");
    }
}
