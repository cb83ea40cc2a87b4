package dev.mole.orchestrator;

import dev.mole.contracts.TaskQueues;
import dev.mole.contracts.curation.CurationRequest;
import dev.mole.contracts.curation.CurationWorkflow;
import dev.mole.contracts.curation.DatasetSummary;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import dev.mole.orchestrator.workflows.Failures;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Starts curation workflows and waits for them: the one entry used by the REST API and the command line alike. */
public final class CurationService {
    private final WorkflowClient client;

    public CurationService(WorkflowClient client) {
        this.client = client;
    }

    /** Starts a curation and returns its run id (the workflow id) at once. */
    public String start(CurationRequest request) {
        String runId = "curation-" + UUID.randomUUID();
        CurationWorkflow wf = client.newWorkflowStub(CurationWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId(runId)
                .setTaskQueue(TaskQueues.CPU)
                .build());
        WorkflowClient.start(wf::curate, request);
        return runId;
    }

    /**
     * Waits for a run's result. A failed run throws {@link CurationFailedException} carrying the cause a person can act
     * on (for bad input, the validation message itself).
     */
    public DatasetSummary await(String runId, Duration timeout) throws TimeoutException {
        WorkflowStub stub = client.newUntypedWorkflowStub(runId);
        try {
            return stub.getResult(timeout.toMillis(), TimeUnit.MILLISECONDS, DatasetSummary.class);
        } catch (WorkflowFailedException e) {
            throw new CurationFailedException(runId, Failures.reason(e), e);
        }
    }


    public static final class CurationFailedException extends RuntimeException {
        private final String runId;

        CurationFailedException(String runId, String message, Throwable cause) {
            super(message, cause);
            this.runId = runId;
        }

        public String runId() {
            return runId;
        }
    }
}
