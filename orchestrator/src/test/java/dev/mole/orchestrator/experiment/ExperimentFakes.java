package dev.mole.orchestrator.experiment;

import dev.mole.contracts.TaskQueues;
import dev.mole.contracts.evaluation.EvaluationRequest;
import dev.mole.contracts.evaluation.EvaluationSummary;
import dev.mole.contracts.evaluation.EvaluationWorkflow;
import dev.mole.contracts.evaluation.Score;
import dev.mole.contracts.evaluation.TaskKind;
import dev.mole.contracts.language.Language;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.contracts.training.SvdActivities;
import dev.mole.contracts.training.SvdFactorsRef;
import dev.mole.contracts.training.SvdRequest;
import dev.mole.contracts.training.TrainingActivities;
import dev.mole.contracts.training.TrainingRequest;
import dev.mole.contracts.training.TrainingResult;
import dev.mole.contracts.TaskQueues;
import dev.mole.contracts.storage.BlobStore;
import dev.mole.orchestrator.LocalPlatform;
import dev.mole.orchestrator.activities.ExperimentActivitiesImpl;
import dev.mole.orchestrator.evaluation.EvaluationCatalog;
import dev.mole.orchestrator.workers.CpuWorker;
import dev.mole.orchestrator.workflows.ArmSeedWorkflowImpl;
import dev.mole.orchestrator.workflows.ExperimentWorkflowImpl;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.nio.charset.StandardCharsets;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * The GPU side and the evaluation stage as fakes for the experiment's workflow tests; the experiment's own workflows,
 * activities and catalog are the real ones. Scores are a function of the model's name, so reused results can be told
 * from recomputed ones.
 */
final class ExperimentFakes {
    private ExperimentFakes() {}

    static final class FakeTraining implements TrainingActivities {
        final List<TrainingRequest> requests = new CopyOnWriteArrayList<>();
        /** {@code <arm>/seed-<n>} that fail non-retryably */
        final Set<String> fail = ConcurrentHashMap.newKeySet();
        /** arm name -> heartbeats until cancelled (or until released) */
        final Set<String> blockArms = ConcurrentHashMap.newKeySet();
        final CountDownLatch blocking = new CountDownLatch(1);
        volatile long cancelSeenAtNanos;

        @Override
        public TrainingResult train(TrainingRequest r) {
            requests.add(r);
            String arm = armOf(r);
            if (fail.contains(arm + "/seed-" + r.seed())) {
                throw ApplicationFailure.newNonRetryableFailure("dataset has no rust rows for this arm", "BadInput");
            }
            if (blockArms.contains(arm)) {
                blocking.countDown();
                try {
                    while (blockArms.contains(arm)) {
                        Activity.getExecutionContext().heartbeat(r.seed());
                        Thread.sleep(100);
                    }
                } catch (ActivityCompletionException cancelled) {
                    cancelSeenAtNanos = System.nanoTime();
                    throw cancelled;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            return new TrainingResult(r.output().child("manifest.json"), 10, 0, 0.5, Map.of("all", 1.0 + r.seed()),
                    Map.of(), Map.of());
        }

        long trainedCount(String arm) {
            return requests.stream().filter(r -> armOf(r).equals(arm)).count();
        }

        /** runId is {@code <experiment>-<arm>-seed-<n>}, output {@code experiments/<experiment>/<arm>/seed-<n>}. */
        static String armOf(TrainingRequest r) {
            String[] parts = r.output().key().split("/");
            return parts[parts.length - 2];
        }
    }

    static final class FakeSvd implements SvdActivities {
        final List<SvdRequest> requests = new CopyOnWriteArrayList<>();

        @Override
        public SvdFactorsRef factors(SvdRequest r) {
            requests.add(r);
            return new SvdFactorsRef(r.folder().child("k" + r.rank() + "/manifest.json"), "k" + r.rank(), r.rank(), r.svd(),
                    6, 0.5, true);
        }
    }

    /** What the evaluation stage would record, without models: catalog rows with scores derived from the model's name. */
    @ActivityInterface
    public interface Scoring {
        EvaluationSummary score(EvaluationRequest request);
    }

    static final class FakeScoring implements Scoring {
        final EvaluationCatalog catalog;
        final List<EvaluationRequest> requests = new CopyOnWriteArrayList<>();

        FakeScoring(EvaluationCatalog catalog) {
            this.catalog = catalog;
        }

        @Override
        public EvaluationSummary score(EvaluationRequest r) {
            requests.add(r);
            String id = "eval-" + Integer.toHexString(r.name().hashCode()) + "-" + (r.adapters() == null ? "base" : "ft");
            List<Score> scores = List.of(
                    score(TaskKind.SYNTHESIS, Language.PYTHON, r.name(), 1),
                    score(TaskKind.SYNTHESIS, Language.RUST, r.name(), 2),
                    score(TaskKind.EXPLAIN_SYNTHESIS, Language.PYTHON, r.name(), 3));
            catalog.started(id, r);
            ObjectRef samples = new ObjectRef("mole", "evaluations/" + id + "/samples.jsonl");
            catalog.completed(id, samples, scores);
            return new EvaluationSummary(id, r.name(), false, scores, samples);
        }

        /** Passed out of 10 is a hash of the model's name and the cell, so two models differ and a rerun agrees. */
        static Score score(TaskKind kind, Language l, String model, int cell) {
            int passed = Math.floorMod((model + cell).hashCode(), 11);
            return new Score(kind, l, null, "auto", passed, 10, passed / 10.0, Map.of());
        }
    }

    /** The evaluation workflow's place in the chain, its work done by {@link Scoring}. */
    public static class ScoredEvaluation implements EvaluationWorkflow {
        private final Scoring scoring = Workflow.newActivityStub(Scoring.class,
                ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(1)).build());

        @Override
        public EvaluationSummary evaluate(EvaluationRequest request) {
            return scoring.score(request);
        }
    }


    /** The experiment's real workflows and activities on the CPU queue, the fakes on the GPU queue (fast heartbeats). */
    static WorkerFactory workers(LocalPlatform local, FakeTraining training, FakeSvd svd, FakeScoring scoring) {
        WorkerFactory workers = WorkerFactory.newInstance(local.platform().workflowClient());
        Worker cpu = workers.newWorker(TaskQueues.CPU, CpuWorker.workerOptions());
        cpu.registerWorkflowImplementationTypes(ExperimentWorkflowImpl.class, ArmSeedWorkflowImpl.class, ScoredEvaluation.class);
        cpu.registerActivitiesImplementations(new ExperimentActivitiesImpl(new ExperimentCatalog(local.platform().dataSource()),
                new EvaluationCatalog(local.platform().dataSource()), REGISTRATIONS), scoring);
        Worker gpu = workers.newWorker(TaskQueues.GPU, WorkerOptions.newBuilder()
                .setMaxHeartbeatThrottleInterval(Duration.ofMillis(300))
                .setDefaultHeartbeatThrottleInterval(Duration.ofMillis(300)).build());
        gpu.registerActivitiesImplementations(training, svd);
        workers.start();
        return workers;
    }

    static final ObjectRef BASE = new ObjectRef("mole", "models/fake-base");

    /**
     * The fake training writes no real adapters, so the registry (which verifies every file against the base) is
     * replaced here by a record of what would be registered; ExperimentDurabilityTest registers real outputs.
     */
    static final RecordingRegistrations REGISTRATIONS = new RecordingRegistrations();

    static final class RecordingRegistrations implements ExperimentRegistrations {
        final java.util.Map<String, java.util.Map<String, Double>> metrics = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public String register(String experimentId, String experimentName, String arm, long seed, ObjectRef base,
                ObjectRef manifest) {
            return ExperimentRegistrations.modelName(experimentName, arm) + "@" + seed;
        }

        @Override
        public void recordMetrics(String registered, String evaluationId, java.util.Map<String, Double> m) {
            metrics.put(registered, m);
        }
    }
    static final ObjectRef DATASET = new ObjectRef("mole", "datasets/d1/manifest.json");

    /** A stand-in base folder and dataset manifest, enough for the experiment's preflight. */
    static void putInputs(BlobStore store) {
        store.put(BASE.child("config.json"), "{\"model_type\":\"llama\"}".getBytes(StandardCharsets.UTF_8), "application/json");
        store.put(BASE.child("model.safetensors"), new byte[] {1, 2, 3}, "application/octet-stream");
        store.put(DATASET, "{}".getBytes(StandardCharsets.UTF_8), "application/json");
    }
}
