package dev.mole.gpu.model;

/** How PiSSA gets its top-k singular triplets. */
public enum SvdMethod {
    /** EJML thin SVD in float32: the specification. */
    EXACT,
    /** Randomised SVD with power iterations: faster on large projections; init stays exact (residual from the same factors). */
    RANDOMIZED
}
