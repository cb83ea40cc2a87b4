package dev.mole.orchestrator.finetune;

import dev.mole.contracts.training.TrainingHeartbeat;
import dev.mole.contracts.training.TrainingProgress;
import dev.mole.orchestrator.platform.WorkflowDescriptions;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DataConverterException;
import java.time.Instant;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What Temporal shows of a finetune workflow now. Live progress is nowhere else: a training activity reports it only in
 * its heartbeats, and Temporal keeps the last one with the workflow's pending activity.
 *
 * @param status       Temporal's word for the workflow's status ("running", "completed", "failed", "terminated"...)
 * @param seeds        per seed that has heartbeated, its latest progress
 * @param seedsWaiting training activities with no heartbeat yet (queued for a GPU worker, or just started); a pending
 *                     activity does not carry its input, so which seeds these are is not known
 */
public record LiveFinetune(String runId, String status, Instant startedAt, Map<Long, LiveSeed> seeds,
        int seedsWaiting) {

    /** The activity type of {@code TrainingActivities.train}: Temporal names it after the method. */
    static final String TRAIN_ACTIVITY = "Train";

    public LiveFinetune {
        seeds = Collections.unmodifiableMap(new TreeMap<>(seeds));
    }

    /**
     * One seed's training activity.
     *
     * @param state         Temporal's pending-activity state: "started" while a worker runs it, "scheduled" while it
     *                      waits (for a worker, or for its next retry)
     * @param attempt       1 for the first attempt; a later attempt resumes from the seed's last checkpoint
     * @param lastFailure   why the previous attempt failed, or null
     */
    public record LiveSeed(long seed, TrainingProgress progress, String state, int attempt, Instant lastHeartbeat,
            String lastFailure) {}

    public boolean running() {
        return "running".equals(status);
    }

    public static LiveFinetune of(WorkflowExecutionDescription d, DataConverter converter) {
        Map<Long, LiveSeed> seeds = new TreeMap<>();
        int waiting = 0;
        for (PendingActivityInfo a : d.getRawDescription().getPendingActivitiesList()) {
            if (!TRAIN_ACTIVITY.equals(a.getActivityType().getName())) {
                continue;
            }
            Optional<TrainingHeartbeat> beat = heartbeat(a, converter);
            if (beat.isEmpty()) {
                waiting++;
                continue;
            }
            seeds.put(beat.get().seed(), new LiveSeed(beat.get().seed(), beat.get().progress(),
                    a.getState().name().replace("PENDING_ACTIVITY_STATE_", "").toLowerCase(Locale.ROOT), a.getAttempt(),
                    a.hasLastHeartbeatTime() ? Instant.ofEpochSecond(a.getLastHeartbeatTime().getSeconds(),
                            a.getLastHeartbeatTime().getNanos()) : null,
                    a.hasLastFailure() ? a.getLastFailure().getMessage() : null));
        }
        return new LiveFinetune(d.getExecution().getWorkflowId(), WorkflowDescriptions.statusWord(d), d.getStartTime(),
                seeds, waiting);
    }

    /** Empty before the first heartbeat, and for details this version cannot read (a worker of another version). */
    private static Optional<TrainingHeartbeat> heartbeat(PendingActivityInfo a, DataConverter converter) {
        if (!a.hasHeartbeatDetails() || a.getHeartbeatDetails().getPayloadsCount() == 0) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(converter.fromPayloads(0, Optional.of(a.getHeartbeatDetails()),
                    TrainingHeartbeat.class, TrainingHeartbeat.class));
        } catch (DataConverterException e) {
            return Optional.empty();
        }
    }
}
