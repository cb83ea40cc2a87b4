package dev.mole.contracts.experiment;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** One arm under one seed: training on the GPU queue, adapters registered, then its evaluation as a child workflow. */
@WorkflowInterface
public interface ArmSeedWorkflow {
    @WorkflowMethod
    ArmSeedResult run(ArmSeedRequest request);
}
