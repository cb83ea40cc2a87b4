package dev.mole.console.internal;

import dev.mole.console.internal.EvaluationDetailView.LiveActivity;
import dev.mole.console.internal.EvaluationDetailView.LiveView;
import dev.mole.console.internal.EvaluationDetailView.RequestView;
import dev.mole.console.internal.EvaluationDetailView.ScoreView;
import dev.mole.orchestrator.EvaluationService;
import dev.mole.orchestrator.evaluation.EvaluationCatalog;
import dev.mole.orchestrator.evaluation.EvaluationCatalog.EvaluationRow;
import dev.mole.orchestrator.platform.WorkflowDescriptions;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.common.converter.DataConverter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Evaluations from the catalog (request, status, scores) joined, while one runs, with what only Temporal knows: which
 * step it is at and how many samples the generation activities have heartbeated. As with finetunes, an evaluation whose
 * first activity has not recorded it yet is answered from Temporal, so an id just returned by {@code POST} is never a 404.
 */
public class EvaluationViews {
    static final String WORKFLOW_TYPE = "EvaluationWorkflow";

    /** Temporal names an activity type after its method, capitalised. */
    private static final Map<String, String> PHASES = Map.of(
            "Plan", "planning",
            "PlanExplainSynthesis", "planning explain's synthesis",
            "Generate", "generating",
            "Programs", "extracting programs",
            "RunBatch", "running programs",
            "Aggregate", "scoring",
            "RecordFailed", "recording the failure");
    /** Later steps first: while the last generation chunk runs alongside nothing else, the phase is generating. */
    private static final List<String> PHASE_ORDER = List.of("RecordFailed", "Aggregate", "RunBatch", "Programs",
            "Generate", "PlanExplainSynthesis", "Plan");

    private final EvaluationCatalog catalog;
    private final EvaluationService evaluations;
    private final WorkflowClient temporal;

    public EvaluationViews(EvaluationCatalog catalog, EvaluationService evaluations, WorkflowClient temporal) {
        this.catalog = catalog;
        this.evaluations = evaluations;
        this.temporal = temporal;
    }

    List<EvaluationRunView> recent(int limit, String adapters) {
        return catalog.list(limit, adapters).stream().map(EvaluationRunView::of).toList();
    }

    Optional<EvaluationRow> row(String evaluationId) {
        return catalog.find(evaluationId);
    }

    Optional<EvaluationDetailView> find(String evaluationId) {
        return catalog.find(evaluationId).map(this::detail).or(() -> notYetRecorded(evaluationId));
    }

    private EvaluationDetailView detail(EvaluationRow row) {
        LiveView live = "RUNNING".equals(row.status()) ? describe(row.evaluationId())
                .map(this::live)
                .orElse(new LiveView("unknown", "not known to Temporal", null, 0, List.of())) : null;
        return new EvaluationDetailView(EvaluationRunView.of(row), RequestView.of(row.request()),
                row.scores().stream().map(ScoreView::of).toList(), live);
    }

    private Optional<WorkflowExecutionDescription> describe(String evaluationId) {
        return WorkflowDescriptions.describe(temporal, EvaluationService.WORKFLOW_PREFIX + evaluationId, WORKFLOW_TYPE);
    }

    private Optional<EvaluationDetailView> notYetRecorded(String evaluationId) {
        return describe(evaluationId).map(d -> {
            boolean running = WorkflowDescriptions.running(d);
            String error = running ? null : "workflow ended before it was recorded: " + failureOf(evaluationId, d);
            EvaluationRunView run = new EvaluationRunView(evaluationId, null, running ? "RUNNING" : "FAILED", error,
                    null, null, null, d.getStartTime(), d.getCloseTime(), Map.of());
            return new EvaluationDetailView(run, null, List.of(), running ? live(d) : null);
        });
    }

    /** Why an unrecorded workflow ended (its plan refused the request, typically), else Temporal's status word. */
    private String failureOf(String evaluationId, WorkflowExecutionDescription d) {
        try {
            evaluations.await(evaluationId, Duration.ofMillis(200));
        } catch (EvaluationService.EvaluationFailedException e) {
            return e.getMessage();
        } catch (Exception e) {
            // not a failure with a reason (terminated, timed out...): the status word below says what happened
        }
        return WorkflowDescriptions.statusWord(d);
    }

    private LiveView live(WorkflowExecutionDescription d) {
        DataConverter converter = temporal.getOptions().getDataConverter();
        List<LiveActivity> activities = new ArrayList<>();
        long generated = 0;
        for (PendingActivityInfo a : d.getRawDescription().getPendingActivitiesList()) {
            String type = a.getActivityType().getName();
            Long done = "Generate".equals(type) && a.hasHeartbeatDetails() ? samplesDone(a.getHeartbeatDetails(), converter)
                    : null;
            generated += done == null ? 0 : done;
            activities.add(new LiveActivity(type,
                    a.getState().name().replace("PENDING_ACTIVITY_STATE_", "").toLowerCase(Locale.ROOT),
                    a.getAttempt(), done, a.hasLastFailure() ? a.getLastFailure().getMessage() : null));
        }
        String phase = PHASE_ORDER.stream().filter(t -> activities.stream().anyMatch(a -> a.type().equals(t)))
                .findFirst().map(PHASES::get).orElse(WorkflowDescriptions.running(d) ? "between steps"
                        : WorkflowDescriptions.statusWord(d));
        return new LiveView(WorkflowDescriptions.statusWord(d), phase, d.getStartTime(), generated, activities);
    }

    /** A generation heartbeat is the count of finished samples; a worker of another version may send something else. */
    private static Long samplesDone(Payloads details, DataConverter converter) {
        if (details.getPayloadsCount() == 0) {
            return null;
        }
        try {
            return converter.fromPayloads(0, Optional.of(details), Long.class, Long.class);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
