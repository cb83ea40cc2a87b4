package dev.mole.console.internal;

import dev.mole.orchestrator.datasets.DatasetCatalog;
import dev.mole.orchestrator.platform.WorkflowDescriptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionDescription;
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
        return WorkflowDescriptions.describe(temporal, runId, "CurationWorkflow").map(RunViews::fromTemporal);
    }

    private static RunView fromTemporal(WorkflowExecutionDescription d) {
        String runId = d.getExecution().getWorkflowId();
        boolean running = WorkflowDescriptions.running(d);
        // A workflow that ended without a catalog row never got to record itself: report it failed, with Temporal's word.
        String error = running ? null : "workflow ended before it was recorded: " + WorkflowDescriptions.statusWord(d);
        return new RunView(runId, null, null, running ? "RUNNING" : "FAILED", running ? "queued" : "failed",
                0, 0, null, -1, null, error, d.getStartTime(), d.getStartTime());
    }
}
