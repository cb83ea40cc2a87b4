package dev.mole.orchestrator.workflows;

import dev.mole.contracts.TaskQueues;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.contracts.training.FinetuneRecordActivities;
import dev.mole.contracts.training.FinetuneRequest;
import dev.mole.contracts.training.FinetuneSummary;
import dev.mole.contracts.training.FinetuneSummary.SeedResult;
import dev.mole.contracts.training.FinetuneSummary.Spread;
import dev.mole.contracts.training.FinetuneWorkflow;
import dev.mole.contracts.training.TrainingActivities;
import dev.mole.contracts.training.TrainingRequest;
import dev.mole.contracts.training.TrainingResult;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every seed trains in parallel on the GPU queue; each seed's outputs go to {@code runs/<runId>/seed-<seed>/} in the
 * dataset's bucket. A GPU worker that dies is noticed within the heartbeat timeout and the seed resumes from its last
 * object-store checkpoint on another worker, because the training request (and so the checkpoint folder) is the same.
 */
public class FinetuneWorkflowImpl implements FinetuneWorkflow {
    /** Change id of recording each failed seed's reason (version 1); older histories have no such activity. */
    static final String RECORD_SEED_FAILURES = "record-seed-failures";

    private final TrainingActivities training = Workflow.newActivityStub(TrainingActivities.class,
            ActivityOptions.newBuilder()
                    .setTaskQueue(TaskQueues.GPU)
                    .setStartToCloseTimeout(Duration.ofDays(7))
                    .setHeartbeatTimeout(Duration.ofMinutes(5))
                    .setRetryOptions(RetryOptions.newBuilder()
                            .setMaximumInterval(Duration.ofMinutes(1))
                            .setMaximumAttempts(10)
                            .setDoNotRetry(IllegalArgumentException.class.getName())
                            .build())
                    .build());

    private final FinetuneRecordActivities records = Workflow.newActivityStub(FinetuneRecordActivities.class,
            ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(Duration.ofMinutes(1))
                    .setRetryOptions(RetryOptions.newBuilder().setMaximumInterval(Duration.ofSeconds(30)).build())
                    .build());

    @Override
    public FinetuneSummary finetune(FinetuneRequest request) {
        String runId = Workflow.getInfo().getWorkflowId();
        records.recordFinetuneStarted(runId, request);
        List<Promise<TrainingResult>> running = new ArrayList<>();
        for (long seed : request.seeds()) {
            running.add(Async.function(training::train, trainingRequest(runId, request, seed)));
        }
        List<SeedResult> results = new ArrayList<>();
        String firstError = null;
        for (int i = 0; i < running.size(); i++) {
            long seed = request.seeds().get(i);
            try {
                TrainingResult r = running.get(i).get();
                records.recordSeedFinished(runId, seed, r);
                results.add(new SeedResult(seed, r));
            } catch (ActivityFailure failure) {
                // Other seeds keep their results; the run fails after all of them have ended.
                String reason = Failures.reason(failure);
                firstError = firstError != null ? firstError : "seed " + seed + ": " + reason;
                // versioned: histories written before seed failures were recorded replay without this activity
                if (Workflow.getVersion(RECORD_SEED_FAILURES, Workflow.DEFAULT_VERSION, 1) >= 1) {
                    records.recordSeedFailed(runId, seed, reason);
                }
            }
        }
        if (firstError != null) {
            records.recordFinetuneFinished(runId, null, firstError);
            throw ApplicationFailure.newFailure(firstError, "FinetuneFailed");
        }
        FinetuneSummary summary = new FinetuneSummary(runId, results, spreads(results));
        records.recordFinetuneFinished(runId, summary, null);
        return summary;
    }

    static TrainingRequest trainingRequest(String runId, FinetuneRequest r, long seed) {
        ObjectRef output = new ObjectRef(r.datasetManifest().bucket(), "runs/" + runId + "/seed-" + seed);
        return new TrainingRequest(runId + "-seed-" + seed, r.method(), r.variant(), r.init(), seed, r.hyper(),
                r.datasetManifest(), r.baseCheckpoint(), output);
    }

    /** Mean and spread over seeds of every validation loss the seeds have in common. */
    static Map<String, Spread> spreads(List<SeedResult> results) {
        Map<String, List<Double>> byKey = new TreeMap<>();
        for (SeedResult s : results) {
            s.result().validationLoss().forEach((k, v) -> byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
        }
        Map<String, Spread> out = new TreeMap<>();
        byKey.forEach((k, v) -> {
            if (v.size() == results.size()) {
                out.put(k, Spread.of(v));
            }
        });
        return out;
    }
}
