package dev.mole.console.internal;

import dev.mole.contracts.training.LossCurve;
import dev.mole.contracts.training.TrainingProgress;
import dev.mole.orchestrator.finetune.FinetuneCatalog.SeedRow;
import dev.mole.orchestrator.finetune.LiveFinetune.LiveSeed;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One seed of a finetune run: its live progress while it trains, its stored result and curves once it finished.
 *
 * @param status     PENDING (waiting for a GPU worker, or finished and not yet recorded), RUNNING, COMPLETED or FAILED
 * @param progress   the latest heartbeat while RUNNING; its curve is also in {@code lossCurves}
 * @param live       the training activity as Temporal shows it while RUNNING (state, attempt, last failure)
 * @param result     the recorded result once COMPLETED
 * @param lossCurves training-loss points per phase ("train", or "train:&lt;language&gt;" for PER_LANG)
 * @param error      why the seed did not finish, when FAILED
 */
public record SeedView(
        long seed,
        String status,
        TrainingProgress progress,
        Activity live,
        Result result,
        Map<String, List<LossCurve.Point>> lossCurves,
        Map<String, List<LossCurve.ValidationPoint>> validationCurves,
        String error) {

    /** @param lastFailure why the previous attempt failed (this one then resumes from the last checkpoint) */
    public record Activity(String state, int attempt, Instant lastHeartbeat, String lastFailure) {}

    /** @param finalTrainLoss null for a seed that did not train; @param resumedFromStep null when not recorded */
    public record Result(String outputManifest, long steps, Long resumedFromStep, Double finalTrainLoss,
            Map<String, Double> validationLoss, Instant finishedAt) {}

    static SeedView pending(long seed) {
        return new SeedView(seed, "PENDING", null, null, null, Map.of(), Map.of(), null);
    }

    static SeedView failed(long seed, String error) {
        return new SeedView(seed, "FAILED", null, null, null, Map.of(), Map.of(), error);
    }

    static SeedView running(LiveSeed s) {
        TrainingProgress p = s.progress();
        // A heartbeat carries the curve of the phase it reports on
        String phase = p.trainingPhase();
        return new SeedView(s.seed(), "RUNNING", p,
                new Activity(s.state(), s.attempt(), s.lastHeartbeat(), s.lastFailure()), null,
                p.lossCurve().isEmpty() ? Map.of() : Map.of(phase, p.lossCurve()),
                p.validationCurve().isEmpty() ? Map.of() : Map.of(phase, p.validationCurve()), null);
    }

    static SeedView completed(SeedRow r) {
        return new SeedView(r.seed(), "COMPLETED", null, null, new Result(r.outputManifest(), r.steps(),
                r.resumedFromStep(), r.finalTrainLoss(), r.validationLoss(), r.finishedAt()), r.lossCurves(),
                r.validationCurves(), null);
    }
}
