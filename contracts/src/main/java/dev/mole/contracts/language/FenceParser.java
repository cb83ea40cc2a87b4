package dev.mole.contracts.language;

import dev.mole.contracts.curation.FenceMode;

/** Finds fenced code blocks in one field's text; offsets are Java char offsets into that exact string. */
public interface FenceParser {
    FenceScan scan(String text);

    static FenceParser forMode(FenceMode mode) {
        return switch (mode) {
            case NORMALIZED -> new NormalizedFenceParser();
            case STRICT -> new StrictFenceParser();
        };
    }
}
