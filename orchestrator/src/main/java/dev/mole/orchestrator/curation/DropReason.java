package dev.mole.orchestrator.curation;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Why a row is not in the dataset. {@link #code()} is the stable snake_case name used in reports, the manifest and the
 * catalog; never rename one.
 */
public enum DropReason {
    /** The line is not one JSON object (syntax error, trailing data, an array or scalar at the top). */
    MALFORMED_JSON("malformed_json"),
    /** The line's bytes are not valid UTF-8. */
    INVALID_UTF8("invalid_utf8"),
    /** The question or answer field is absent (or SQL NULL in Parquet). */
    MISSING_FIELD("missing_field"),
    /** The question or answer field is there but not a string. */
    NON_STRING_FIELD("non_string_field"),
    /** The question or answer is empty or only whitespace. */
    EMPTY_FIELD("empty_field"),
    /** One line is larger than the reader's limit; it is skipped without being held in memory. */
    ROW_TOO_LARGE("row_too_large"),
    /** A fence has a tag that is none of the eight languages (after aliases, in NORMALIZED mode). */
    UNKNOWN_LANGUAGE("unknown_language"),
    /** A fence has no tag. */
    UNLABELLED_FENCE("unlabelled_fence"),
    /** Readable, but no fenced code block in question or answer. */
    NO_CODE_BLOCK("no_code_block"),
    /** Fewer than a third of the words are code. */
    LOW_CODE_SHARE("low_code_share");

    private final String code;

    DropReason(String code) {
        this.code = code;
    }

    @JsonValue
    public String code() {
        return code;
    }

    public static DropReason ofCode(String code) {
        for (DropReason r : values()) {
            if (r.code.equals(code)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown drop reason: " + code);
    }

    /** The drop reason for a fence problem the shared grammar found; null for none. */
    public static DropReason of(dev.mole.contracts.language.FenceProblem problem) {
        if (problem == null) {
            return null;
        }
        return switch (problem) {
            case UNKNOWN_LANGUAGE -> UNKNOWN_LANGUAGE;
            case UNLABELLED_FENCE -> UNLABELLED_FENCE;
        };
    }
}
