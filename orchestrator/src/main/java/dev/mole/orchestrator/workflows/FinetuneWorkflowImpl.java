package dev.mole.orchestrator.workflows;

import dev.mole.contracts.TaskQueues;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.contracts.training.FinetuneRecordActivities;
import dev.mole.contracts.training.FinetuneRequest;
import dev.mole.contracts.training.FinetuneSummary;
import dev.mole.contracts.training.FinetuneSummary.SeedResult;
import dev.mole.contracts.training.FinetuneSummary.Spread;
import dev.mole.contracts.training.FinetuneWorkflow;
import dev.mole.contracts.training.SvdActivities;
import dev.mole.contracts.training.SvdRequest;
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
 * A method that starts from PiSSA factors first gets them from the SVD stage (one {@link SvdActivities#factors} call on
 * the GPU queue, stored under {@code svd/<key>/} in the dataset's bucket and reused by any later run of the same base and
 * k); then every seed trains in parallel on the GPU queue from those factors; each seed's outputs go to
 * {@code runs/<runId>/seed-<seed>/} in the dataset's bucket. A GPU worker that dies is noticed within the heartbeat
 * timeout and the seed resumes from its last object-store checkpoint on another worker, because the training request (and
 * so the checkpoint folder) is the same.
 */
public class FinetuneWorkflowImpl implements FinetuneWorkflow {
    /** Change id of recording each failed seed's reason (version 1); older histories have no such activity. */
    static final String RECORD_SEED_FAILURES = "record-seed-failures";
    /**
     * Change id of the SVD stage (version 1). Older histories scheduled the seeds right after recording the start, with
     * requests that compute the exact SVD in each seed; they replay, and retry, as they were.
     */
    static final String SVD_STAGE = "svd-stage";

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

    private final SvdActivities svd = Workflow.newActivityStub(SvdActivities.class,
            ActivityOptions.newBuilder()
                    .setTaskQueue(TaskQueues.GPU)
                    .setStartToCloseTimeout(Duration.ofDays(1))
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
        boolean svdStage = Workflow.getVersion(SVD_STAGE, Workflow.DEFAULT_VERSION, 1) >= 1;
        ObjectRef factors = null;
        SvdRequest factorsNeeded = svdStage ? svdRequest(request) : null;
        if (factorsNeeded != null) {
            try {
                factors = svd.factors(factorsNeeded).manifest();
            } catch (ActivityFailure failure) {
                String error = "svd stage: " + Failures.reason(failure);
                records.recordFinetuneFinished(runId, null, error);
                throw ApplicationFailure.newFailure(error, "FinetuneFailed");
            }
        }
        List<Promise<TrainingResult>> running = new ArrayList<>();
        for (long seed : request.seeds()) {
            TrainingRequest t = svdStage ? trainingRequest(runId, request, seed, factors) : legacyTrainingRequest(runId, request, seed);
            running.add(Async.function(training::train, t));
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

    /** @param factors the SVD stage's manifest, or null when the method needs no PiSSA factors */
    static TrainingRequest trainingRequest(String runId, FinetuneRequest r, long seed, ObjectRef factors) {
        ObjectRef output = new ObjectRef(r.datasetManifest().bucket(), "runs/" + runId + "/seed-" + seed);
        return new TrainingRequest(runId + "-seed-" + seed, r.method(), r.variant(), r.init(), seed, r.hyper(),
                r.datasetManifest(), r.baseCheckpoint(), output, r.svd(), factors, r.moe());
    }

    /** What histories from before the SVD stage sent: no svd (so the exact SVD) and no stored factors. */
    static TrainingRequest legacyTrainingRequest(String runId, FinetuneRequest r, long seed) {
        return trainingRequest(runId, r, seed, null).withSvd(null);
    }

    /** The SVD stage's request, or null for a method that starts from no PiSSA factors (std init, Full-FT, No-FT). */
    static SvdRequest svdRequest(FinetuneRequest r) {
        int k = SvdRequest.rankFor(r.method(), r.variant(), r.init());
        return k == 0 ? null : new SvdRequest(r.baseCheckpoint(), k, r.svd(), new ObjectRef(r.datasetManifest().bucket(), "svd"));
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
