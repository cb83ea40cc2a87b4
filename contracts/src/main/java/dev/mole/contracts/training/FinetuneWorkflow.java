package dev.mole.contracts.training;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** Trains one configuration under every requested seed on the GPU queue and records the outcome. */
@WorkflowInterface
public interface FinetuneWorkflow {
    @WorkflowMethod
    FinetuneSummary finetune(FinetuneRequest request);
}
