package dev.mole.contracts.training;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The PiSSA initialisation stage on the GPU task queue ({@link dev.mole.contracts.TaskQueues#GPU}): the top-k singular
 * factors of every adapted projection of a base model, computed once and stored content-addressed, so every seed and
 * every arm that starts from the same top k reads them instead of computing the SVD again (docs/mole-protocol.md
 * sections 2 and 7). A call whose factors are already stored returns at once; otherwise it heartbeats
 * {@link SvdHeartbeat} per projection. Give it a heartbeat timeout of a few minutes (one exact SVD of a 1.3B model's
 * projection takes about 1.5 minutes on a CPU).
 */
@ActivityInterface
public interface SvdActivities {

    @ActivityMethod
    SvdFactorsRef factors(SvdRequest request);
}
