package dev.mole.contracts.evaluation;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** One evaluation of one model on HumanEvalPack, on {@link dev.mole.contracts.TaskQueues#CPU}. */
@WorkflowInterface
public interface EvaluationWorkflow {

    @WorkflowMethod
    EvaluationSummary evaluate(EvaluationRequest request);
}
