package dev.mole.orchestrator;

import dev.mole.contracts.TaskQueues;
import dev.mole.contracts.training.FinetuneRequest;
import dev.mole.contracts.training.FinetuneSummary;
import dev.mole.contracts.training.FinetuneWorkflow;
import dev.mole.orchestrator.workflows.Failures;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Starts multi-seed finetuning runs and waits for them. */
public final class FinetuneService {
    private final WorkflowClient client;

    public FinetuneService(WorkflowClient client) {
        this.client = client;
    }

    public String start(FinetuneRequest request) {
        String runId = "finetune-" + UUID.randomUUID();
        FinetuneWorkflow wf = client.newWorkflowStub(FinetuneWorkflow.class,
                WorkflowOptions.newBuilder().setWorkflowId(runId).setTaskQueue(TaskQueues.CPU).build());
        WorkflowClient.start(wf::finetune, request);
        return runId;
    }

    public FinetuneSummary await(String runId, Duration timeout) throws TimeoutException {
        try {
            return client.newUntypedWorkflowStub(runId)
                    .getResult(timeout.toMillis(), TimeUnit.MILLISECONDS, FinetuneSummary.class);
        } catch (WorkflowFailedException e) {
            throw new IllegalStateException("finetune run " + runId + " failed: " + Failures.reason(e), e);
        }
    }
}
