package dev.mole.contracts.curation;

import java.util.Objects;

/**
 * What to curate and how. Everything that changes the output is part of the dataset id, so the same input with the same
 * request gives the same dataset and no second run.
 *
 * @param name            a human label; not part of the dataset id
 * @param inputUri        a local path or an {@code s3://bucket/key} URI
 * @param format          {@code jsonl}, {@code parquet} or {@code auto} (by file name)
 * @param questionField   field holding the instruction
 * @param answerField     field holding the response
 * @param fenceMode       fence and tag rules
 * @param validationShare share of each main language held out for validation (paper: 0.05)
 * @param seed            seed of the validation split
 */
public record CurationRequest(
        String name,
        String inputUri,
        String format,
        String questionField,
        String answerField,
        FenceMode fenceMode,
        double validationShare,
        long seed) {

    public static final double PAPER_VALIDATION_SHARE = 0.05;
    public static final long DEFAULT_SEED = 42L;

    public CurationRequest {
        Objects.requireNonNull(inputUri, "inputUri");
        name = name == null || name.isBlank() ? defaultName(inputUri) : name;
        format = format == null || format.isBlank() ? "auto" : format.toLowerCase(java.util.Locale.ROOT);
        questionField = questionField == null || questionField.isBlank() ? "question" : questionField;
        answerField = answerField == null || answerField.isBlank() ? "answer" : answerField;
        fenceMode = fenceMode == null ? FenceMode.NORMALIZED : fenceMode;
        if (!(validationShare >= 0.0 && validationShare < 1.0)) {
            throw new IllegalArgumentException("validationShare must be in [0, 1): " + validationShare);
        }
    }

    /** A request with the paper's defaults (Glaive field names, normalised fences, 5% validation, seed 42). */
    public static CurationRequest of(String inputUri) {
        return new CurationRequest(null, inputUri, "auto", "question", "answer", FenceMode.NORMALIZED,
                PAPER_VALIDATION_SHARE, DEFAULT_SEED);
    }

    /** The same request reading its input from elsewhere (an uploaded copy); the name stays. */
    public CurationRequest withInputUri(String uri) {
        return new CurationRequest(name, uri, format, questionField, answerField, fenceMode, validationShare, seed);
    }

    private static String defaultName(String uri) {
        String s = uri.replaceAll("/+$", "");
        return s.substring(s.lastIndexOf('/') + 1);
    }
}
