package dev.mole.orchestrator;

import dev.mole.contracts.TaskQueues;
import dev.mole.contracts.evaluation.EvaluationRequest;
import dev.mole.contracts.evaluation.EvaluationSummary;
import dev.mole.contracts.evaluation.EvaluationWorkflow;
import dev.mole.contracts.storage.BlobStore;
import dev.mole.orchestrator.evaluation.EvaluationStage;
import dev.mole.orchestrator.workflows.Failures;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts evaluations and waits for them, for the console and the CLI alike. The workflow id is the evaluation id, so
 * starting an evaluation that is already running joins it, and one that finished is answered from the catalog by the
 * workflow's first step.
 */
public final class EvaluationService {
    public static final String WORKFLOW_PREFIX = "evaluation-";

    private final WorkflowClient client;
    private final BlobStore store;

    public EvaluationService(WorkflowClient client, BlobStore store) {
        this.client = client;
        this.store = store;
    }

    /**
     * Checks the request against the stored models (IllegalArgumentException naming the problem) and starts it.
     *
     * @return the evaluation id
     */
    public String start(EvaluationRequest request) {
        String id = EvaluationStage.preflight(store, request);
        EvaluationWorkflow wf = client.newWorkflowStub(EvaluationWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId(WORKFLOW_PREFIX + id)
                .setTaskQueue(TaskQueues.CPU)
                .build());
        try {
            WorkflowClient.start(wf::evaluate, request);
        } catch (WorkflowExecutionAlreadyStarted running) {
            // the same evaluation is already running: this caller shares it
        }
        return id;
    }

    public EvaluationSummary await(String evaluationId, Duration timeout) throws TimeoutException {
        try {
            return client.newUntypedWorkflowStub(WORKFLOW_PREFIX + evaluationId)
                    .getResult(timeout.toMillis(), TimeUnit.MILLISECONDS, EvaluationSummary.class);
        } catch (WorkflowFailedException e) {
            throw new EvaluationFailedException(Failures.reason(e), e);
        }
    }

    /** The evaluation ended without a result; the message says why. */
    public static final class EvaluationFailedException extends IllegalStateException {
        EvaluationFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
