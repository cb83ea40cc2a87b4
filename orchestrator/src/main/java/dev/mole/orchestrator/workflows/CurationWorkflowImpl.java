package dev.mole.orchestrator.workflows;

import dev.mole.contracts.curation.CurationActivities;
import dev.mole.contracts.curation.CurationActivities.InputFingerprint;
import dev.mole.contracts.curation.CurationRequest;
import dev.mole.contracts.curation.CurationWorkflow;
import dev.mole.contracts.curation.DatasetSummary;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.Optional;

/**
 * Fingerprint the input, reuse an identical dataset if one exists, else curate it. Deterministic: only activity calls
 * and their results drive it. Timeouts here are defaults; a worker may override them per activity
 * ({@code WorkflowImplementationOptions}), which tests use to make a dead worker's activity time out quickly.
 */
public class CurationWorkflowImpl implements CurationWorkflow {
    /** A bad input is a user's error, not a transient one: retrying it would only repeat the same message. */
    public static final String INVALID_INPUT = "InvalidCurationInput";

    private final CurationActivities bookkeeping = Workflow.newActivityStub(CurationActivities.class,
            ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(Duration.ofMinutes(1))
                    .setRetryOptions(RetryOptions.newBuilder().setMaximumInterval(Duration.ofSeconds(30)).build())
                    .build());

    private final CurationActivities work = Workflow.newActivityStub(CurationActivities.class,
            ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(Duration.ofHours(12))
                    .setHeartbeatTimeout(Duration.ofSeconds(30))
                    .setRetryOptions(RetryOptions.newBuilder()
                            .setMaximumInterval(Duration.ofSeconds(30))
                            .setMaximumAttempts(20)
                            .setDoNotRetry(INVALID_INPUT)
                            .build())
                    .build());

    @Override
    public DatasetSummary curate(CurationRequest request) {
        String runId = Workflow.getInfo().getWorkflowId();
        bookkeeping.recordRunStarted(runId, request);
        try {
            InputFingerprint fingerprint = work.fingerprint(request);
            Optional<DatasetSummary> existing = bookkeeping.findDataset(fingerprint.datasetId());
            if (existing.isPresent()) {
                bookkeeping.recordRunFinished(runId, fingerprint.datasetId(), null);
                DatasetSummary d = existing.get();
                return new DatasetSummary(d.datasetId(), d.name(), d.manifestUri(), d.inputRows(), d.keptRows(),
                        d.trainRows(), d.validationRows(), d.droppedRows(), true);
            }
            return work.curate(request, fingerprint, runId);
        } catch (ActivityFailure failure) {
            bookkeeping.recordRunFinished(runId, null, Failures.reason(failure));
            throw failure;
        }
    }
}
