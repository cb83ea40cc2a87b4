package dev.mole.contracts.experiment;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The whole pipeline of one experiment on {@link dev.mole.contracts.TaskQueues#CPU}: dataset (curated or given), the SVD
 * stage, every arm and seed as an {@link ArmSeedWorkflow}, and the aggregate. Cancelling it cancels every child.
 */
@WorkflowInterface
public interface ExperimentWorkflow {
    @WorkflowMethod
    ExperimentSummary run(ExperimentRequest request);
}
