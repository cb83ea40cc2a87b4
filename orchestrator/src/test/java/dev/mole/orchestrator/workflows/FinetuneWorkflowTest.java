package dev.mole.orchestrator.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mole.contracts.TaskQueues;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.contracts.training.FinetuneRecordActivities;
import dev.mole.contracts.training.FinetuneRequest;
import dev.mole.contracts.training.FinetuneSummary;
import dev.mole.contracts.training.FinetuneWorkflow;
import dev.mole.contracts.training.FinetuneSummary.SeedResult;
import dev.mole.contracts.training.SvdActivities;
import dev.mole.contracts.training.SvdFactorsRef;
import dev.mole.contracts.training.SvdRequest;
import dev.mole.contracts.training.TrainingActivities;
import dev.mole.contracts.training.TrainingMethod;
import dev.mole.contracts.training.TrainingRequest;
import dev.mole.contracts.training.LossCurve;
import dev.mole.contracts.training.TrainingResult;
import dev.mole.orchestrator.workers.CpuWorker;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Seeds fan out in parallel on the GPU queue; results are recorded per seed and summarised over seeds. */
class FinetuneWorkflowTest {
    private TestWorkflowEnvironment env;
    private FakeTraining training;
    private FakeRecords records;
    private FakeSvd svd;

    @BeforeEach
    void setUp() {
        env = TestWorkflowEnvironment.newInstance();
        Worker cpu = env.newWorker(TaskQueues.CPU, CpuWorker.workerOptions());
        cpu.registerWorkflowImplementationTypes(FinetuneWorkflowImpl.class);
        records = new FakeRecords();
        cpu.registerActivitiesImplementations(records);
        Worker gpu = env.newWorker(TaskQueues.GPU);
        training = new FakeTraining();
        svd = new FakeSvd(training);
        gpu.registerActivitiesImplementations(training, svd);
        env.start();
    }

    @AfterEach
    void tearDown() {
        env.close();
    }

    private static FinetuneRequest request(List<Long> seeds) {
        return new FinetuneRequest("mole", TrainingMethod.MOLE, "48+16", null, seeds, null,
                ObjectRef.parse("s3://mole/datasets/d1/manifest.json"), ObjectRef.parse("s3://mole/models/tiny"));
    }

    private FinetuneWorkflow stub(String id) {
        return env.getWorkflowClient().newWorkflowStub(FinetuneWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.CPU).setWorkflowId(id).build());
    }

    @Test
    void trainsEverySeedInParallelAndSummarisesOverSeeds() throws Exception {
        FinetuneSummary s = stub("ft-1").finetune(request(List.of(1L, 2L, 3L)));

        assertThat(training.maxConcurrent).as("all three seeds were training at once").isEqualTo(3);
        assertThat(training.requests.values()).extracting(TrainingRequest::output)
                .extracting(ObjectRef::uri)
                .containsExactlyInAnyOrder("s3://mole/runs/ft-1/seed-1", "s3://mole/runs/ft-1/seed-2",
                        "s3://mole/runs/ft-1/seed-3");
        assertThat(training.requests.get(2L).runId()).isEqualTo("ft-1-seed-2");
        assertThat(s.seeds()).extracting(FinetuneSummary.SeedResult::seed).containsExactly(1L, 2L, 3L);
        FinetuneSummary.Spread all = s.validationLoss().get("all");
        assertThat(all.mean()).isCloseTo(2.0, within(1e-12)); // losses 1, 2, 3
        assertThat(all.std()).isCloseTo(1.0, within(1e-12));
        assertThat(all.n()).isEqualTo(3);
        assertThat(records.calls).startsWith("started ft-1").endsWith("finished ft-1 COMPLETED").hasSize(5);
        WorkflowReplayer.replayWorkflowExecution(env.getWorkflowClient().fetchHistory("ft-1"), FinetuneWorkflowImpl.class);
    }

    @Test
    void theSvdStageRunsOnceBeforeTheSeedsAndEverySeedStartsFromItsFactors() throws Exception {
        stub("ft-svd").finetune(request(List.of(1L, 2L, 3L)));

        assertThat(svd.requests).as("one SVD for all seeds").hasSize(1);
        SvdRequest asked = svd.requests.get(0);
        assertThat(asked.rank()).isEqualTo(64); // 48 + 16
        assertThat(asked.svd()).isEqualTo("randomized");
        assertThat(asked.baseCheckpoint().uri()).isEqualTo("s3://mole/models/tiny");
        assertThat(asked.folder().uri()).isEqualTo("s3://mole/svd");
        assertThat(training.seedsStartedBeforeSvdEnded).as("no seed started before the factors were stored").isZero();
        assertThat(training.requests.values()).allSatisfy(r -> {
            assertThat(r.svdFactors()).isEqualTo(FakeSvd.MANIFEST);
            assertThat(r.svd()).isEqualTo("randomized");
        });
        WorkflowReplayer.replayWorkflowExecution(env.getWorkflowClient().fetchHistory("ft-svd"), FinetuneWorkflowImpl.class);
    }

    @Test
    void theExactSvdIsAChoiceAndMethodsWithoutPissaFactorsSkipTheStage() throws Exception {
        FinetuneRequest exact = new FinetuneRequest("lora", TrainingMethod.ALL_LANG, "64", null, List.of(1L, 2L, 3L), null,
                ObjectRef.parse("s3://mole/datasets/d1/manifest.json"), ObjectRef.parse("s3://mole/models/tiny"), "EXACT");
        stub("ft-exact").finetune(exact);
        assertThat(svd.requests).extracting(SvdRequest::rank, SvdRequest::svd).containsExactly(org.assertj.core.groups.Tuple.tuple(64, "exact"));
        assertThat(training.requests.values()).allSatisfy(r -> assertThat(r.svd()).isEqualTo("exact"));

        for (var m : List.of(TrainingMethod.FULL_FT, TrainingMethod.NO_FT, TrainingMethod.MOLE, TrainingMethod.MULTIPL_MOE)) {
            training.requests.clear();
            training.reset();
            String init = m == TrainingMethod.MOLE ? "std" : null;
            stub("ft-" + m).finetune(new FinetuneRequest(null, m, null, init, List.of(1L, 2L, 3L), null,
                    ObjectRef.parse("s3://mole/datasets/d1/manifest.json"), ObjectRef.parse("s3://mole/models/tiny")));
            assertThat(training.requests).hasSize(3);
            assertThat(training.requests.values()).allSatisfy(r -> assertThat(r.svdFactors()).isNull());
            // MultiPL-MoE's settings (the paper's when the request names none) reach every seed; other methods carry none
            assertThat(training.requests.values()).allSatisfy(r -> assertThat(r.moe())
                    .isEqualTo(m == TrainingMethod.MULTIPL_MOE ? dev.mole.contracts.training.MoeSettings.paper() : null));
        }
        assertThat(svd.requests).as("std init, Full-FT, No-FT and MultiPL-MoE start from no PiSSA factors").hasSize(1);
    }

    @Test
    void aFailedSvdStageFailsTheRunBeforeAnySeedTrains() {
        svd.fail = true;
        assertThatThrownBy(() -> stub("ft-svd-fails").finetune(request(List.of(1L, 2L))))
                .isInstanceOf(WorkflowFailedException.class);
        assertThat(training.requests).isEmpty();
        assertThat(records.calls).containsExactly("started ft-svd-fails",
                "failed ft-svd-fails svd stage: union rank 64 exceeds projection size 64x48");
    }

    @Test
    void aHistoryFromBeforeTheSvdStageReplaysAndItsSeedsComputeTheExactSvdThemselves() throws Exception {
        // the workflow as it was: recorded with the old code, replayed with the new one
        TestWorkflowEnvironment old = TestWorkflowEnvironment.newInstance();
        try {
            Worker cpu = old.newWorker(TaskQueues.CPU, CpuWorker.workerOptions());
            cpu.registerWorkflowImplementationTypes(WorkflowBeforeTheSvdStage.class);
            cpu.registerActivitiesImplementations(new FakeRecords());
            FakeTraining t = new FakeTraining();
            old.newWorker(TaskQueues.GPU).registerActivitiesImplementations(t);
            old.start();
            old.getWorkflowClient().newWorkflowStub(FinetuneWorkflow.class,
                    WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.CPU).setWorkflowId("ft-old").build())
                    .finetune(request(List.of(1L, 2L, 3L)));
            var history = old.getWorkflowClient().fetchHistory("ft-old");
            WorkflowReplayer.replayWorkflowExecution(history, FinetuneWorkflowImpl.class);
            // what an old history's (re)scheduled seeds carry: the exact SVD, computed in the training activity
            TrainingRequest legacy = FinetuneWorkflowImpl.legacyTrainingRequest("ft-old", request(List.of(1L)), 1L);
            assertThat(legacy.svd()).isNull();
            assertThat(legacy.svdMethod()).isEqualTo("exact");
            assertThat(legacy.svdFactors()).isNull();
        } finally {
            old.close();
        }
    }

    @Test
    void aTrainingRequestRecordedBeforeTheSvdFieldsReadsAsExactWithoutStoredFactors() {
        // an activity input as histories from before the SVD stage hold it
        String json = "{\"runId\":\"r-seed-1\",\"method\":\"MOLE\",\"variant\":\"48+16\",\"init\":\"shared_first\",\"seed\":1,"
                + "\"datasetManifest\":{\"bucket\":\"mole\",\"key\":\"d/manifest.json\"},"
                + "\"baseCheckpoint\":{\"bucket\":\"mole\",\"key\":\"models/tiny\"},\"output\":{\"bucket\":\"mole\",\"key\":\"runs/r/seed-1\"}}";
        var converter = io.temporal.common.converter.DefaultDataConverter.newDefaultInstance();
        var payload = io.temporal.api.common.v1.Payload.newBuilder()
                .putMetadata("encoding", com.google.protobuf.ByteString.copyFromUtf8("json/plain"))
                .setData(com.google.protobuf.ByteString.copyFromUtf8(json)).build();
        TrainingRequest r = converter.fromPayload(payload, TrainingRequest.class, TrainingRequest.class);
        assertThat(r.svd()).isNull();
        assertThat(r.svdMethod()).isEqualTo("exact");
        assertThat(r.svdFactors()).isNull();
        assertThat(r.hyper()).isNotNull();
        // and a new request round-trips with its fields
        TrainingRequest fresh = FinetuneWorkflowImpl.trainingRequest("r", request(List.of(1L)), 1L, FakeSvd.MANIFEST);
        TrainingRequest back = converter.fromPayload(converter.toPayload(fresh).orElseThrow(), TrainingRequest.class, TrainingRequest.class);
        assertThat(back).isEqualTo(fresh);
        assertThat(back.svd()).isEqualTo("randomized");
    }

    @Test
    void aFailingSeedFailsTheRunButTheOthersAreRecorded() throws Exception {
        training.failSeed = 2L;
        assertThatThrownBy(() -> stub("ft-2").finetune(request(List.of(1L, 2L, 3L))))
                .isInstanceOf(WorkflowFailedException.class);
        assertThat(records.calls).contains("seed ft-2 1", "seed ft-2 3", "seed-failed ft-2 2 base checkpoint has no config.json")
                .doesNotContain("seed ft-2 2")
                .last().asString().startsWith("failed ft-2 seed 2: base checkpoint has no config.json");
        WorkflowReplayer.replayWorkflowExecution(env.getWorkflowClient().fetchHistory("ft-2"), FinetuneWorkflowImpl.class);
    }

    @Test
    void requestsRejectDuplicateSeeds() {
        assertThatThrownBy(() -> request(List.of(1L, 1L))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("distinct");
    }

    static final class FakeTraining implements TrainingActivities {
        final Map<Long, TrainingRequest> requests = new ConcurrentHashMap<>();
        volatile CountDownLatch allStarted = new CountDownLatch(3);
        volatile int running;
        volatile int maxConcurrent;
        volatile long failSeed = -1;
        volatile boolean svdRunning;
        volatile int seedsStartedBeforeSvdEnded;

        void reset() {
            allStarted = new CountDownLatch(3);
        }

        @Override
        public TrainingResult train(TrainingRequest r) {
            if (svdRunning) seedsStartedBeforeSvdEnded++;
            synchronized (this) {
                running++;
                maxConcurrent = Math.max(maxConcurrent, running);
            }
            requests.put(r.seed(), r);
            allStarted.countDown();
            try {
                allStarted.await(20, TimeUnit.SECONDS); // proves the seeds overlap: none finishes before all started
                if (r.seed() == failSeed) {
                    throw ApplicationFailure.newNonRetryableFailure("base checkpoint has no config.json", "BadInput");
                }
                return new TrainingResult(new ObjectRef("mole", r.output().key() + "/manifest.json"), 10, 0, 0.5,
                        Map.of("all", (double) r.seed(), "python", 1.0),
                        Map.of("train", List.of(new LossCurve.Point(10, 0.5, 1))), Map.of());
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            } finally {
                synchronized (this) {
                    running--;
                }
            }
        }
    }

    /** Records what it was asked and answers a fixed manifest; with {@code fail}, refuses as a too-small base would. */
    static final class FakeSvd implements SvdActivities {
        static final ObjectRef MANIFEST = ObjectRef.parse("s3://mole/svd/abc123/manifest.json");
        final List<SvdRequest> requests = new CopyOnWriteArrayList<>();
        final FakeTraining training;
        volatile boolean fail;

        FakeSvd(FakeTraining training) {
            this.training = training;
        }

        @Override
        public SvdFactorsRef factors(SvdRequest r) {
            requests.add(r);
            if (fail) throw new IllegalArgumentException("union rank 64 exceeds projection size 64x48");
            training.svdRunning = true;
            try {
                Thread.sleep(200); // a seed scheduled alongside would start within this
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            } finally {
                training.svdRunning = false;
            }
            return new SvdFactorsRef(MANIFEST, "abc123", r.rank(), r.svd(), 6, 1.5, true);
        }
    }

    /** {@link FinetuneWorkflowImpl#finetune} as it was before the SVD stage (its seed-failure recording included). */
    public static class WorkflowBeforeTheSvdStage implements FinetuneWorkflow {
        private final TrainingActivities training = Workflow.newActivityStub(TrainingActivities.class,
                ActivityOptions.newBuilder().setTaskQueue(TaskQueues.GPU).setStartToCloseTimeout(Duration.ofDays(7))
                        .setHeartbeatTimeout(Duration.ofMinutes(5)).build());
        private final FinetuneRecordActivities records = Workflow.newActivityStub(FinetuneRecordActivities.class,
                ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(1)).build());

        @Override
        public FinetuneSummary finetune(FinetuneRequest request) {
            String runId = Workflow.getInfo().getWorkflowId();
            records.recordFinetuneStarted(runId, request);
            List<Promise<TrainingResult>> running = new ArrayList<>();
            for (long seed : request.seeds()) {
                running.add(Async.function(training::train, FinetuneWorkflowImpl.legacyTrainingRequest(runId, request, seed)));
            }
            List<SeedResult> results = new ArrayList<>();
            for (int i = 0; i < running.size(); i++) {
                long seed = request.seeds().get(i);
                try {
                    TrainingResult r = running.get(i).get();
                    records.recordSeedFinished(runId, seed, r);
                    results.add(new SeedResult(seed, r));
                } catch (ActivityFailure failure) {
                    if (Workflow.getVersion(FinetuneWorkflowImpl.RECORD_SEED_FAILURES, Workflow.DEFAULT_VERSION, 1) >= 1) {
                        records.recordSeedFailed(runId, seed, failure.getMessage());
                    }
                }
            }
            FinetuneSummary summary = new FinetuneSummary(runId, results, FinetuneWorkflowImpl.spreads(results));
            records.recordFinetuneFinished(runId, summary, null);
            return summary;
        }
    }

    static final class FakeRecords implements FinetuneRecordActivities {
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public void recordFinetuneStarted(String runId, FinetuneRequest request) {
            calls.add("started " + runId);
        }

        @Override
        public void recordSeedFinished(String runId, long seed, TrainingResult result) {
            calls.add("seed " + runId + " " + seed);
        }

        @Override
        public void recordSeedFailed(String runId, long seed, String error) {
            calls.add("seed-failed " + runId + " " + seed + " " + error);
        }

        @Override
        public void recordFinetuneFinished(String runId, FinetuneSummary summary, String error) {
            calls.add(error == null ? "finished " + runId + " COMPLETED" : "failed " + runId + " " + error);
        }
    }
}
