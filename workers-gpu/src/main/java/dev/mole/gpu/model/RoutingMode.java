package dev.mole.gpu.model;

/** How adapter routing is computed; both give the same numbers. */
public enum RoutingMode {
    /** Tokens sorted by route; each token pays only for its own adapters. */
    GROUPED,
    /** Every adapter over every token, multiplied by a 0/1 mask (the reference's form): test oracle and bench baseline. */
    NAIVE
}
