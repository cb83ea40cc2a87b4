package dev.mole.gpu.model;

/**
 * The outcome of one {@link GenerationRequest}: generated tokens (the stop token excluded) with their routes, the raw text
 * they decode to, and where it is complete: {@code cutAt} is the stop rule's index under {@link StopReason#STOP_RULE} and
 * the text's length otherwise, so {@link #answer()} is always the usable response.
 */
public record Generation(String id, int[] tokens, int[] routes, String text, int cutAt, StopReason stop) {

    /** The text up to {@link #cutAt}. */
    public String answer() {
        return text.substring(0, cutAt);
    }
}
