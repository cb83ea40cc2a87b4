package dev.mole.console.internal;

import dev.mole.orchestrator.datasets.DatasetCatalog;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowNotFoundException;
import java.util.List;
import java.util.Optional;

/**
 * Finds runs. The catalog is the record, but a run's row is written by the workflow's first activity, a moment after
 * the workflow starts: in between, Temporal is asked, so a run id just returned by {@code POST} is never a 404.
 */
public class RunViews {
    private final DatasetCatalog catalog;
    private final WorkflowClient temporal;

    public RunViews(DatasetCatalog catalog, WorkflowClient temporal) {
        this.catalog = catalog;
        this.temporal = temporal;
    }

    List<RunView> recent(int limit) {
        return catalog.listRuns(limit).stream().map(RunView::of).toList();
    }

    Optional<RunView> find(String runId) {
        return catalog.findRun(runId).map(RunView::of).or(() -> notYetRecorded(runId));
    }

    private Optional<RunView> notYetRecorded(String runId) {
        WorkflowExecutionDescription d;
        try {
            d = temporal.newUntypedWorkflowStub(runId).describe();
        } catch (WorkflowNotFoundException e) {
            return Optional.empty();
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
        if (!"CurationWorkflow".equals(d.getWorkflowType())) {
            return Optional.empty(); // some other workflow's id: not a curation run
        }
        WorkflowExecutionStatus status = d.getStatus();
        boolean running = status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
        // A workflow that ended without a catalog row never got to record itself: report it failed, with Temporal's word.
        String error = running ? null : "workflow ended before it was recorded: " + status.name()
                .replace("WORKFLOW_EXECUTION_STATUS_", "").toLowerCase(java.util.Locale.ROOT);
        return Optional.of(new RunView(runId, null, null, running ? "RUNNING" : "FAILED", running ? "queued" : "failed",
                0, 0, null, -1, null, error, d.getStartTime(), d.getStartTime()));
    }
}
