package dev.mole.contracts.evaluation;

/** Instead of a model: the benchmark's own canonical or buggy solutions, graded through the same extraction and sandbox. */
public enum Oracle { NONE, CANONICAL, BUGGY }
