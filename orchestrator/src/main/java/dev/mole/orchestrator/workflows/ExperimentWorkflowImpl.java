package dev.mole.orchestrator.workflows;

import dev.mole.contracts.TaskQueues;
import dev.mole.contracts.curation.CurationWorkflow;
import dev.mole.contracts.curation.DatasetSummary;
import dev.mole.contracts.experiment.ArmSeedFailure;
import dev.mole.contracts.experiment.ArmSeedRequest;
import dev.mole.contracts.experiment.ArmSeedResult;
import dev.mole.contracts.experiment.ArmSeedWorkflow;
import dev.mole.contracts.experiment.ExperimentActivities;
import dev.mole.contracts.experiment.ExperimentArm;
import dev.mole.contracts.experiment.ExperimentRequest;
import dev.mole.contracts.experiment.ExperimentStatus;
import dev.mole.contracts.experiment.ExperimentSummary;
import dev.mole.contracts.experiment.ExperimentWorkflow;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.contracts.training.SvdActivities;
import dev.mole.contracts.training.SvdFactorsRef;
import dev.mole.contracts.training.SvdRequest;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Dataset (an existing one, or a curation child that reuses an identical dataset), then the SVD stage (one
 * {@link SvdActivities#factors} per distinct k, before any arm trains), then every arm and seed as its own
 * {@link ArmSeedWorkflow} child, all at once, then the aggregate. A failing arm and seed is recorded and the others go
 * on. Results recorded by an earlier run of the same experiment (a retry, or a resume after the platform restarted) are
 * taken from the catalog instead of being run again; unfinished training resumes from its checkpoints, whose folder is
 * fixed by the experiment id.
 */
public class ExperimentWorkflowImpl implements ExperimentWorkflow {
    private static final RetryOptions GPU_RETRY = RetryOptions.newBuilder()
            .setMaximumInterval(Duration.ofMinutes(1))
            .setMaximumAttempts(10)
            .setDoNotRetry(IllegalArgumentException.class.getName())
            .build();

    private final ExperimentActivities records = Workflow.newActivityStub(ExperimentActivities.class,
            ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(Duration.ofMinutes(1))
                    .setRetryOptions(RetryOptions.newBuilder().setMaximumInterval(Duration.ofSeconds(30)).build())
                    .build());

    private final SvdActivities svd = Workflow.newActivityStub(SvdActivities.class,
            ActivityOptions.newBuilder()
                    .setTaskQueue(TaskQueues.GPU)
                    .setStartToCloseTimeout(Duration.ofDays(1))
                    .setHeartbeatTimeout(Duration.ofMinutes(5))
                    .setRetryOptions(GPU_RETRY)
                    .build());

    @Override
    public ExperimentSummary run(ExperimentRequest request) {
        String id = Workflow.getInfo().getWorkflowId();
        List<ArmSeedResult> results = new ArrayList<>();
        List<ArmSeedFailure> failures = new ArrayList<>();
        ObjectRef dataset = request.datasetManifest();
        try {
            List<ArmSeedResult> done = records.beginExperiment(id, request);
            dataset = dataset(id, request);
            Map<Integer, Factors> factors = svdStage(id, request, dataset);

            Map<String, Promise<ArmSeedResult>> running = new LinkedHashMap<>();
            for (ExperimentArm arm : request.arms()) {
                for (long seed : request.seedsOf(arm)) {
                    ArmSeedResult finished = find(done, arm.name(), seed);
                    Factors f = factors.get(arm.svdRank());
                    if (finished != null) {
                        results.add(finished);
                    } else if (f.error() != null) {
                        records.recordArmSeed(id, arm.name(), seed, "FAILED", "svd: " + f.error());
                        failures.add(new ArmSeedFailure(arm.name(), seed, "svd", f.error()));
                    } else {
                        ArmSeedRequest r = new ArmSeedRequest(id, arm, seed, dataset, request.baseCheckpoint(),
                                request.svd(), f.manifest(), request.evaluation());
                        running.put(arm.name() + "\u0000" + seed, Async.function(child(id, arm.name(), seed)::run, r));
                    }
                }
            }
            for (var e : running.entrySet()) {
                String[] key = e.getKey().split("\u0000");
                try {
                    results.add(e.getValue().get());
                } catch (ChildWorkflowFailure failure) {
                    // the child recorded its own row; the others go on
                    failures.add(new ArmSeedFailure(key[0], Long.parseLong(key[1]), stageOf(failure), Failures.reason(failure)));
                }
            }
            if (CancellationScope.current().isCancelRequested()) {
                throw new CanceledFailure("experiment cancelled");
            }
            ExperimentStatus status = failures.isEmpty() ? ExperimentStatus.COMPLETED
                    : results.isEmpty() ? ExperimentStatus.FAILED : ExperimentStatus.PARTIAL;
            String error = failures.isEmpty() ? null
                    : failures.size() + " arm/seed run(s) failed, first: " + failures.get(0).arm() + " seed "
                    + failures.get(0).seed() + ": " + failures.get(0).error();
            records.finishExperiment(id, status, error);
            return new ExperimentSummary(id, status, dataset, results, failures);
        } catch (CanceledFailure cancelled) {
            // what finished stays recorded; rows still running are marked cancelled
            Workflow.newDetachedCancellationScope(
                    () -> records.finishExperiment(id, ExperimentStatus.CANCELLED, "cancelled")).run();
            throw cancelled;
        } catch (ActivityFailure | ChildWorkflowFailure failure) {
            // a stage before the arms (the dataset) failed: nothing can train
            String error = Failures.reason(failure);
            records.finishExperiment(id, ExperimentStatus.FAILED, error);
            throw ApplicationFailure.newFailure("experiment " + id + " failed: " + error, "ExperimentFailed");
        }
    }

    private static ObjectRef datasetOf(DatasetSummary d) {
        return ObjectRef.parse(d.manifestUri());
    }

    /** The given dataset, or the curation child's (which reuses an identical dataset instead of curating again). */
    private ObjectRef dataset(String id, ExperimentRequest request) {
        if (request.datasetManifest() != null) {
            return request.datasetManifest();
        }
        records.recordStage(id, "dataset", "RUNNING", request.curation().inputUri());
        CurationWorkflow curation = Workflow.newChildWorkflowStub(CurationWorkflow.class, ChildWorkflowOptions.newBuilder()
                .setWorkflowId(id + "/curation")
                .setTaskQueue(TaskQueues.CPU)
                .build());
        try {
            DatasetSummary d = curation.curate(request.curation());
            records.recordStage(id, "dataset", "COMPLETED", d.manifestUri());
            return datasetOf(d);
        } catch (ChildWorkflowFailure failure) {
            records.recordStage(id, "dataset", "FAILED", Failures.reason(failure));
            throw failure;
        }
    }

    /** The SVD stage's answer for one k: the factors' manifest (null for k = 0, no factors), or why there are none. */
    private record Factors(ObjectRef manifest, String error) {}

    /** One SVD per distinct k, all at once. A k whose factors cannot be made fails its arms only; the others go on. */
    private Map<Integer, Factors> svdStage(String id, ExperimentRequest request, ObjectRef dataset) {
        Map<Integer, Factors> out = new LinkedHashMap<>();
        out.put(0, new Factors(null, null));
        TreeSet<Integer> ranks = new TreeSet<>();
        request.arms().forEach(a -> ranks.add(a.svdRank()));
        ranks.remove(0);
        Map<Integer, Promise<SvdFactorsRef>> running = new LinkedHashMap<>();
        for (int k : ranks) {
            records.recordStage(id, "svd:" + k, "RUNNING", request.svd());
            running.put(k, Async.function(svd::factors, new SvdRequest(request.baseCheckpoint(), k, request.svd(),
                    new ObjectRef(dataset.bucket(), "svd"))));
        }
        for (var e : running.entrySet()) {
            String stage = "svd:" + e.getKey();
            try {
                SvdFactorsRef f = e.getValue().get();
                records.recordStage(id, stage, "COMPLETED", f.key() + (f.computed() ? " computed in " : " stored, made in ")
                        + String.format(java.util.Locale.ROOT, "%.1f s", f.seconds()));
                out.put(e.getKey(), new Factors(f.manifest(), null));
            } catch (ActivityFailure failure) {
                String reason = Failures.reason(failure);
                records.recordStage(id, stage, "FAILED", reason);
                out.put(e.getKey(), new Factors(null, reason));
            }
        }
        return out;
    }

    /** Cancelling the experiment cancels every child (the cancellation scope propagates it). */
    private static ArmSeedWorkflow child(String id, String arm, long seed) {
        return Workflow.newChildWorkflowStub(ArmSeedWorkflow.class, ChildWorkflowOptions.newBuilder()
                .setWorkflowId(ArmSeedWorkflowImpl.workflowId(id, arm, seed))
                .setTaskQueue(TaskQueues.CPU)
                .build());
    }

    private static String stageOf(ChildWorkflowFailure failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ApplicationFailure app && app.getType().startsWith(ArmSeedWorkflowImpl.FAILED_IN)) {
                return app.getType().substring(ArmSeedWorkflowImpl.FAILED_IN.length());
            }
        }
        return "unknown";
    }

    private static ArmSeedResult find(List<ArmSeedResult> done, String arm, long seed) {
        return done.stream().filter(r -> r.arm().equals(arm) && r.seed() == seed).findFirst().orElse(null);
    }
}
