package dev.mole.console;

import dev.mole.contracts.TaskQueues;
import dev.mole.contracts.training.LossCurve;
import dev.mole.contracts.training.SvdActivities;
import dev.mole.contracts.training.SvdFactorsRef;
import dev.mole.contracts.training.SvdRequest;
import dev.mole.contracts.training.TrainingActivities;
import dev.mole.contracts.training.TrainingHeartbeat;
import dev.mole.contracts.training.TrainingProgress;
import dev.mole.contracts.training.TrainingRequest;
import dev.mole.contracts.training.TrainingResult;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.WorkflowClient;
import io.temporal.failure.ApplicationFailure;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for the GPU worker on the GPU queue, so console tests can hold seeds mid-training: each seed heartbeats
 * {@link TrainingHeartbeat}s up to {@link #HELD_AT_STEP} of its {@code maxSteps}, then waits until the test releases it
 * and returns a result whose losses follow from the seed and the learning rate (so runs and seeds differ). Seed
 * {@link #FAILING_SEED} fails for good after its first heartbeat. The real training worker is tested in workers-gpu and
 * the deploy chain test.
 */
final class FakeGpuWorker implements AutoCloseable {
    static final int HELD_AT_STEP = 3;
    static final long FAILING_SEED = 13;
    static final String FAILURE = "CUDA out of memory at step 1 (fake)";
    static final List<String> LANGUAGES = List.of("all", "python", "rust");

    private final WorkerFactory factory;
    private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();
    private volatile boolean releaseAll;

    private FakeGpuWorker(WorkflowClient client) {
        factory = WorkerFactory.newInstance(client);
        // The real worker's throttle (up to a minute between heartbeats sent) would hide the held step from the test.
        Worker worker = factory.newWorker(TaskQueues.GPU, WorkerOptions.newBuilder()
                .setMaxHeartbeatThrottleInterval(Duration.ofMillis(100))
                .setStickyQueueScheduleToStartTimeout(Duration.ZERO)
                .build());
        worker.registerActivitiesImplementations(new Training(), new Svd());
        factory.start();
    }

    static FakeGpuWorker start(WorkflowClient client) {
        return new FakeGpuWorker(client);
    }

    /** Lets seed {@code seed} of run {@code runId} finish. */
    void release(String runId, long seed) {
        gate(runId, seed).countDown();
    }

    static double trainLoss(long seed, long step) {
        return 3.0 / (1 + 0.25 * step) + 0.01 * seed;
    }

    static double validationLoss(long seed, double learningRate, String language) {
        return 1.0 + LANGUAGES.indexOf(language) * 0.125 + 0.05 * seed + learningRate * 1000;
    }

    /** What seed {@code seed} heartbeats at {@code step} of {@code total}. */
    static TrainingProgress progress(long seed, double learningRate, long step, long total) {
        List<LossCurve.Point> curve = new ArrayList<>();
        for (long s = 1; s <= step; s++) {
            curve.add(new LossCurve.Point(s, trainLoss(seed, s), 1));
        }
        List<LossCurve.ValidationPoint> validation = List.of(new LossCurve.ValidationPoint(0, validation(seed, learningRate)));
        return new TrainingProgress("train", step, total, 0, trainLoss(seed, step), learningRate * step / total,
                1000.0 + seed, validation(seed, learningRate), 2.5 * (total - step), curve, validation);
    }

    static Map<String, Double> validation(long seed, double learningRate) {
        Map<String, Double> out = new java.util.TreeMap<>();
        LANGUAGES.forEach(l -> out.put(l, validationLoss(seed, learningRate, l)));
        return out;
    }

    private CountDownLatch gate(String runId, long seed) {
        CountDownLatch gate = gates.computeIfAbsent(runId + "/" + seed, k -> new CountDownLatch(1));
        if (releaseAll) {
            gate.countDown();
        }
        return gate;
    }

    /** The SVD stage answers at once, as when the factors are already stored. */
    private static final class Svd implements SvdActivities {
        @Override
        public SvdFactorsRef factors(SvdRequest r) {
            return new SvdFactorsRef(r.folder().child("fake/manifest.json"), "fake", r.rank(), r.svd(), 0, 0, false);
        }
    }

    private final class Training implements TrainingActivities {
        @Override
        public TrainingResult train(TrainingRequest r) {
            ActivityExecutionContext ctx = Activity.getExecutionContext();
            String runId = ctx.getInfo().getWorkflowId();
            double lr = r.hyper().learningRate();
            long total = r.hyper().maxSteps();
            for (long step = 1; step <= Math.min(HELD_AT_STEP, total); step++) {
                ctx.heartbeat(new TrainingHeartbeat(r.seed(), progress(r.seed(), lr, step, total)));
                if (r.seed() == FAILING_SEED) {
                    throw ApplicationFailure.newNonRetryableFailure(FAILURE, "TrainingFailed");
                }
            }
            CountDownLatch gate = gate(runId, r.seed());
            try {
                while (!gate.await(100, TimeUnit.MILLISECONDS)) {
                    ctx.heartbeat(new TrainingHeartbeat(r.seed(), progress(r.seed(), lr, Math.min(HELD_AT_STEP, total), total)));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("fake training interrupted", e);
            }
            TrainingProgress last = progress(r.seed(), lr, total, total);
            return new TrainingResult(r.output().child("manifest.json"), total, 0, last.loss(), validation(r.seed(), lr),
                    Map.of("train", last.lossCurve()),
                    Map.of("train", List.of(new LossCurve.ValidationPoint(0, validation(r.seed(), lr)),
                            new LossCurve.ValidationPoint(total, validation(r.seed(), lr)))));
        }
    }

    @Override
    public void close() {
        releaseAll = true;
        gates.values().forEach(CountDownLatch::countDown);
        factory.shutdown();
        factory.awaitTermination(10, TimeUnit.SECONDS);
    }
}
