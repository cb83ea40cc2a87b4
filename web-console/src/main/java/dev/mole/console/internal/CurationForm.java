package dev.mole.console.internal;

import dev.mole.contracts.curation.CurationRequest;
import dev.mole.contracts.curation.FenceMode;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/**
 * The body of {@code POST /api/curations}: the fields of {@link CurationRequest}, every one but {@code inputUri}
 * optional. Kept apart from the contract so that a bad body gets a message naming the field, not a constructor's
 * exception.
 */
public record CurationForm(
        String name,
        String inputUri,
        String format,
        String questionField,
        String answerField,
        String fenceMode,
        Double validationShare,
        Long seed) {

    /** Formats the curation activities can read; {@code auto} picks by file name. */
    static final Set<String> FORMATS = Set.of("auto", "jsonl", "parquet");

    CurationRequest toRequest() {
        if (inputUri == null || inputUri.isBlank()) {
            throw ApiException.badRequest("inputUri is required: a local path or an s3://bucket/key URI");
        }
        String uri = inputUri.trim();
        if (uri.startsWith("s3://") && !uri.matches("s3://[^/]+/.+")) {
            throw ApiException.badRequest("inputUri '" + uri + "' needs a bucket and a key: s3://bucket/key");
        }
        String fmt = format == null || format.isBlank() ? "auto" : format.trim().toLowerCase(Locale.ROOT);
        if (!FORMATS.contains(fmt)) {
            throw ApiException.badRequest("format must be one of auto, jsonl, parquet; got '" + format + "'");
        }
        double share = validationShare == null ? CurationRequest.PAPER_VALIDATION_SHARE : validationShare;
        if (!(share >= 0.0 && share < 1.0)) {
            throw ApiException.badRequest("validationShare must be at least 0 and below 1; got " + validationShare);
        }
        return new CurationRequest(blankToNull(name), uri, fmt, blankToNull(questionField), blankToNull(answerField),
                parsedFenceMode(), share, seed == null ? CurationRequest.DEFAULT_SEED : seed);
    }

    private FenceMode parsedFenceMode() {
        if (fenceMode == null || fenceMode.isBlank()) {
            return FenceMode.NORMALIZED;
        }
        try {
            return FenceMode.valueOf(fenceMode.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("fenceMode must be one of " + Arrays.toString(FenceMode.values())
                    + "; got '" + fenceMode + "'");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
