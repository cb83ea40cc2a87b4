package dev.mole.contracts.language;

/** Why a fence makes a sample unusable for training (curation drops such samples whole, as the reference does). */
public enum FenceProblem {
    /** A fence whose tag names no language the platform has an expert for. */
    UNKNOWN_LANGUAGE,
    /** A fence with no tag at all. */
    UNLABELLED_FENCE
}
