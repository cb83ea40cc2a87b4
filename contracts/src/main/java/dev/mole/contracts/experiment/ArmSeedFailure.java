package dev.mole.contracts.experiment;

/** An arm and seed that ended without a result: the stage it stopped in ("svd", "training", "evaluation") and why. */
public record ArmSeedFailure(String arm, long seed, String stage, String error) {}
