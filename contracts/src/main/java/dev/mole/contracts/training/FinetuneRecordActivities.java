package dev.mole.contracts.training;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Bookkeeping of finetuning runs in the platform's catalog, on the CPU queue. */
@ActivityInterface
public interface FinetuneRecordActivities {
    @ActivityMethod
    void recordFinetuneStarted(String runId, FinetuneRequest request);

    @ActivityMethod
    void recordSeedFinished(String runId, long seed, TrainingResult result);

    /** A seed's training failed for good (retries spent or not retryable): why, for the console. */
    @ActivityMethod
    void recordSeedFailed(String runId, long seed, String error);

    /** With a summary the run completed; with an error it failed. */
    @ActivityMethod
    void recordFinetuneFinished(String runId, FinetuneSummary summary, String error);
}
