package dev.mole.contracts.experiment;

import dev.mole.contracts.evaluation.EvaluationSummary;
import dev.mole.contracts.training.TrainingResult;

/**
 * What one arm and seed produced.
 *
 * @param training   null for an arm that trains nothing (No-FT)
 * @param evaluation the evaluation of the trained model (or of the base alone)
 */
public record ArmSeedResult(String arm, long seed, TrainingResult training, EvaluationSummary evaluation) {}
