package dev.mole.orchestrator;

import dev.mole.contracts.TaskQueues;
import dev.mole.contracts.experiment.ExperimentRequest;
import dev.mole.contracts.experiment.ExperimentStatus;
import dev.mole.contracts.experiment.ExperimentSummary;
import dev.mole.contracts.experiment.ExperimentWorkflow;
import dev.mole.contracts.storage.BlobStore;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.contracts.training.TrainingMethod;
import dev.mole.orchestrator.evaluation.EvaluationStage;
import dev.mole.orchestrator.experiment.ExperimentCatalog;
import dev.mole.orchestrator.experiment.ExperimentCatalog.ExperimentRow;
import dev.mole.orchestrator.experiment.ExperimentIds;
import dev.mole.orchestrator.workflows.Failures;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;

/**
 * Starts experiments, cancels them, retries what failed and resumes what a stopped platform left unfinished: for the
 * console and the CLI alike. The workflow id is the experiment id, derived from the request, so starting a running
 * experiment joins it and starting a finished one answers from its recorded results.
 */
public final class ExperimentService {
    private final WorkflowClient client;
    private final BlobStore store;
    private final ExperimentCatalog catalog;

    public ExperimentService(WorkflowClient client, BlobStore store, DataSource dataSource) {
        this.client = client;
        this.store = store;
        this.catalog = new ExperimentCatalog(dataSource);
    }

    public ExperimentCatalog catalog() {
        return catalog;
    }

    /**
     * Checks the request against the stored objects (IllegalArgumentException naming the problem, before any GPU work)
     * and starts it, or joins it when it is running.
     *
     * @return the experiment id
     */
    public String start(ExperimentRequest request) {
        preflight(request);
        String id = ExperimentIds.of(request);
        launch(id, request);
        return id;
    }

    /** What can be known before a workflow starts: the base, the dataset or curation input, the evaluation selection. */
    void preflight(ExperimentRequest r) {
        if (!store.exists(r.baseCheckpoint().child("config.json"))) {
            throw new IllegalArgumentException("base model " + r.baseCheckpoint().uri() + " has no config.json");
        }
        if (r.datasetManifest() != null && !store.exists(r.datasetManifest())) {
            throw new IllegalArgumentException("dataset manifest " + r.datasetManifest().uri() + " does not exist");
        }
        if (r.curation() != null) {
            String input = r.curation().inputUri();
            boolean found = ObjectRef.isObjectUri(input) ? store.exists(ObjectRef.parse(input)) : Files.isRegularFile(Path.of(input));
            if (!found) throw new IllegalArgumentException("curation input " + input + " does not exist");
        }
        // the base-only form of the evaluation: its task selection and the base's files, the same for every arm
        EvaluationStage.preflight(store, r.evaluation().forModel("preflight", r.baseCheckpoint(), null, TrainingMethod.NO_FT));
    }

    /** Asks the experiment's workflow to stop; GPU and sandbox work stops at its next heartbeat. */
    public void cancel(String experimentId) {
        ExperimentRow row = require(experimentId);
        if (row.status() != ExperimentStatus.RUNNING) {
            throw new IllegalArgumentException("experiment " + experimentId + " is not running (" + row.status() + ")");
        }
        client.newUntypedWorkflowStub(experimentId).cancel();
    }

    /** Runs again every arm and seed without a result (failed or cancelled); finished ones are kept, not redone. */
    public void retry(String experimentId) {
        ExperimentRow row = require(experimentId);
        if (row.status() == ExperimentStatus.RUNNING) {
            throw new IllegalArgumentException("experiment " + experimentId + " is still running");
        }
        launch(experimentId, row.request());
    }

    /**
     * Starts again every experiment recorded as RUNNING whose workflow is not (the embedded Temporal server lost its
     * history when the platform stopped). Each rerun skips its finished arms and seeds and resumes training from its
     * checkpoints.
     *
     * @return the experiment ids started again
     */
    public List<String> resumeUnfinished() {
        return catalog.running().stream().filter(row -> launch(row.experimentId(), row.request()))
                .map(ExperimentRow::experimentId).toList();
    }

    public ExperimentSummary await(String experimentId, Duration timeout) throws TimeoutException {
        try {
            return client.newUntypedWorkflowStub(experimentId)
                    .getResult(timeout.toMillis(), TimeUnit.MILLISECONDS, ExperimentSummary.class);
        } catch (WorkflowFailedException e) {
            throw new ExperimentFailedException(Failures.reason(e), e);
        }
    }

    private ExperimentRow require(String experimentId) {
        return catalog.find(experimentId)
                .orElseThrow(() -> new java.util.NoSuchElementException("no experiment " + experimentId));
    }

    /** @return false when the workflow was already running */
    private boolean launch(String id, ExperimentRequest request) {
        ExperimentWorkflow wf = client.newWorkflowStub(ExperimentWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId(id)
                .setTaskQueue(TaskQueues.CPU)
                .build());
        try {
            WorkflowClient.start(wf::run, request);
            return true;
        } catch (WorkflowExecutionAlreadyStarted running) {
            return false; // the same experiment is running: this caller shares it
        }
    }

    /** The experiment's workflow ended without a summary (a stage before the arms failed, or it was cancelled). */
    public static final class ExperimentFailedException extends IllegalStateException {
        ExperimentFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
