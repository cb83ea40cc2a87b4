package dev.mole.contracts.training;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Finetuning on the GPU task queue ({@link dev.mole.contracts.TaskQueues#GPU}). One call trains one method on one dataset
 * from one base checkpoint; it heartbeats {@link TrainingProgress} and checkpoints to the object store, so a retry after the
 * worker died resumes from the latest complete checkpoint instead of starting over. Give it a heartbeat timeout of a few
 * minutes and a long start-to-close timeout.
 */
@ActivityInterface
public interface TrainingActivities {

    @ActivityMethod
    TrainingResult train(TrainingRequest request);
}
