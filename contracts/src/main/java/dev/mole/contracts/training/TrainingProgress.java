package dev.mole.contracts.training;

import java.util.List;
import java.util.Map;

/**
 * Heartbeat details and console events of a run.
 *
 * @param phase          e.g. "train", "validation", "checkpoint", "export" or "train:python" for a PER_LANG sub-run
 * @param step           optimiser steps done
 * @param totalSteps     optimiser steps of the run
 * @param epoch          current epoch (0-based)
 * @param loss           mean answer-token loss of the last optimiser step
 * @param learningRate   learning rate used by the last step
 * @param tokensPerSecond trained tokens (all tokens of the sequences) per second of wall time, over the run so far
 * @param validationLoss latest per-language validation loss (empty until the first validation)
 * @param etaSeconds     estimated seconds to the end of the run
 * @param lossCurve      this phase's training-loss history so far, downsampled ({@link LossCurve})
 * @param validationCurve this phase's validation passes so far
 * @param routing        a learned router's choices in the last optimiser step (MULTIPL_MOE); null for other methods
 */
public record TrainingProgress(
        String phase,
        long step,
        long totalSteps,
        int epoch,
        double loss,
        double learningRate,
        double tokensPerSecond,
        Map<String, Double> validationLoss,
        double etaSeconds,
        List<LossCurve.Point> lossCurve,
        List<LossCurve.ValidationPoint> validationCurve,
        RoutingCounts routing) {

    public TrainingProgress {
        validationLoss = validationLoss == null ? Map.of() : Map.copyOf(validationLoss);
        lossCurve = lossCurve == null ? List.of() : List.copyOf(lossCurve);
        validationCurve = validationCurve == null ? List.of() : List.copyOf(validationCurve);
    }

    /** An event without routing statistics (every method without a learned router). */
    public TrainingProgress(String phase, long step, long totalSteps, int epoch, double loss, double learningRate, double tokensPerSecond,
                            Map<String, Double> validationLoss, double etaSeconds, List<LossCurve.Point> lossCurve,
                            List<LossCurve.ValidationPoint> validationCurve) {
        this(phase, step, totalSteps, epoch, loss, learningRate, tokensPerSecond, validationLoss, etaSeconds, lossCurve, validationCurve, null);
    }

    /**
     * The training phase this event belongs to, without what is happening in it: "train:done", "train:validation" and
     * "train:upload" are all "train" (the key of the phase's curves); "train:python" stays itself (a PER_LANG sub-run).
     */
    public String trainingPhase() {
        return phase.replaceFirst(":(done|validation|upload)$", "");
    }

    /** An event with no curve (uploads, evaluation-only runs). */
    public static TrainingProgress of(String phase, long step, long totalSteps, int epoch, double loss, double learningRate,
                                      double tokensPerSecond, Map<String, Double> validationLoss, double etaSeconds) {
        return new TrainingProgress(phase, step, totalSteps, epoch, loss, learningRate, tokensPerSecond, validationLoss,
                etaSeconds, List.of(), List.of());
    }
}
