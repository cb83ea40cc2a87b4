package dev.mole.contracts.experiment;

import dev.mole.contracts.training.TrainingResult;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

/** An experiment's durable progress in the platform's catalog, on the CPU queue. Every call is idempotent. */
@ActivityInterface
public interface ExperimentActivities {
    /**
     * Records the experiment as running (again), with a PENDING row for every arm and seed that has no result, and
     * returns the results already recorded: a rerun (a retry, or a resume after the platform restarted) skips those.
     */
    @ActivityMethod
    List<ArmSeedResult> beginExperiment(String experimentId, ExperimentRequest request);

    /** A stage before the arms ("dataset", "svd:k") as RUNNING, COMPLETED or FAILED, with what it produced or why. */
    @ActivityMethod
    void recordStage(String experimentId, String stage, String state, String detail);

    /** An arm and seed moved to TRAINING, EVALUATING or FAILED (with why). */
    @ActivityMethod
    void recordArmSeed(String experimentId, String arm, long seed, String state, String error);

    /**
     * The "adapters registered" step: the trained output of one arm and seed. Today it records the output in the
     * experiment's own tables; this is the one place to connect the model registry to.
     */
    @ActivityMethod
    void registerAdapters(String experimentId, String arm, long seed, TrainingResult training);

    @ActivityMethod
    void recordArmSeedCompleted(String experimentId, ArmSeedResult result);

    /** The experiment ended; arm and seed rows that did not finish are marked CANCELLED when it was cancelled. */
    @ActivityMethod
    void finishExperiment(String experimentId, ExperimentStatus status, String error);
}
