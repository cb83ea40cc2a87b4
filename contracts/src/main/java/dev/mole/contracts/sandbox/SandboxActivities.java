package dev.mole.contracts.sandbox;

import dev.mole.contracts.storage.ObjectRef;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Runs untrusted programs against their tests, polled on {@link dev.mole.contracts.TaskQueues#SANDBOX}.
 * Programs and results cross Temporal only as object references (payloads are capped; history must stay small).
 */
@ActivityInterface
public interface SandboxActivities {

    /**
     * @param programs a JSONL object, one {@link SandboxProgram} per line
     * @return a JSONL object, one {@link SandboxResult} per input line, in input order. The activity heartbeats once per
     *     finished program with the number finished so far; callers should set a heartbeat timeout of a minute or so.
     */
    @ActivityMethod
    ObjectRef runBatch(ObjectRef programs);
}
