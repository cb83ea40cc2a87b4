package dev.mole.contracts.training;

import dev.mole.contracts.storage.ObjectRef;
import java.util.List;
import java.util.Map;

/**
 * The small result of a run: where the output manifest is, and the headline losses.
 *
 * @param outputManifest     the manifest object listing every output file with its sha256
 * @param steps              optimiser steps done (summed over languages for PER_LANG)
 * @param resumedFromStep    the checkpoint step this attempt started from (0 for a fresh start)
 * @param finalTrainLoss     mean answer-token loss of the last optimiser step (NaN for NO_FT)
 * @param validationLoss     final mean answer-token validation loss per language tag (and "all")
 * @param lossCurves         training-loss history per phase ("train", or "train:&lt;language&gt;" for PER_LANG), downsampled
 * @param validationCurves   validation passes per phase
 */
public record TrainingResult(
        ObjectRef outputManifest,
        long steps,
        long resumedFromStep,
        double finalTrainLoss,
        Map<String, Double> validationLoss,
        Map<String, List<LossCurve.Point>> lossCurves,
        Map<String, List<LossCurve.ValidationPoint>> validationCurves) {

    public TrainingResult {
        validationLoss = validationLoss == null ? Map.of() : Map.copyOf(validationLoss);
        lossCurves = lossCurves == null ? Map.of() : Map.copyOf(lossCurves);
        validationCurves = validationCurves == null ? Map.of() : Map.copyOf(validationCurves);
    }
}
