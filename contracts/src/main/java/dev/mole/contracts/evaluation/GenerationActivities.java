package dev.mole.contracts.evaluation;

import dev.mole.contracts.storage.ObjectRef;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Evaluation generation on {@link dev.mole.contracts.TaskQueues#GPU}; heartbeats the number of finished samples. */
@ActivityInterface
public interface GenerationActivities {

    /** @return the chunk's output object (the same {@link GenerationChunk#output()}) */
    @ActivityMethod
    ObjectRef generate(GenerationChunk chunk);
}
