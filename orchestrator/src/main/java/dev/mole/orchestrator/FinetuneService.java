package dev.mole.orchestrator;

import dev.mole.contracts.TaskQueues;
import dev.mole.contracts.training.FinetuneRequest;
import dev.mole.contracts.training.FinetuneSummary;
import dev.mole.contracts.training.FinetuneWorkflow;
import dev.mole.orchestrator.finetune.LiveFinetune;
import dev.mole.orchestrator.platform.WorkflowDescriptions;
import dev.mole.orchestrator.workflows.Failures;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Starts multi-seed finetuning runs, shows their live progress and waits for them: for the console and the CLI alike. */
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

    /** Temporal's view of the run now, with each training seed's latest heartbeat; empty for an unknown run id. */
    public Optional<LiveFinetune> live(String runId) {
        return WorkflowDescriptions.describe(client, runId, "FinetuneWorkflow")
                .map(d -> LiveFinetune.of(d, client.getOptions().getDataConverter()));
    }

    public FinetuneSummary await(String runId, Duration timeout) throws TimeoutException {
        try {
            return client.newUntypedWorkflowStub(runId)
                    .getResult(timeout.toMillis(), TimeUnit.MILLISECONDS, FinetuneSummary.class);
        } catch (WorkflowFailedException e) {
            throw new FinetuneFailedException("finetune run " + runId + " failed: " + Failures.reason(e), e);
        }
    }

    /** The run ended without a summary; the message says which seed failed and why. */
    public static final class FinetuneFailedException extends IllegalStateException {
        FinetuneFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
