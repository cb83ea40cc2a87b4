package dev.mole.gpu.model;

/** Why a generated sequence ended. */
public enum StopReason {
    /** The model produced the stop token (not part of the output). */
    EOS,
    /** The request's {@link StopRule} found the text complete. */
    STOP_RULE,
    /** The token limit was reached. */
    MAX_TOKENS
}
