package dev.mole.gpu.model;

/**
 * A record as the model sees it: token ids (bos ... eos), per-token loss mask (true = trained) and per-token route
 * ({@link Route}). {@code truncated} is true when the sequence was cut at the maximum length (eos then absent).
 */
public record TokenizedSample(int[] ids, boolean[] lossMask, int[] routes, boolean truncated) {
    public int length() {
        return ids.length;
    }
}
