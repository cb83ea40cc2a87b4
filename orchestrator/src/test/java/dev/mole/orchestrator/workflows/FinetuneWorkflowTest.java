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
import dev.mole.contracts.training.TrainingActivities;
import dev.mole.contracts.training.TrainingMethod;
import dev.mole.contracts.training.TrainingRequest;
import dev.mole.contracts.training.LossCurve;
import dev.mole.contracts.training.TrainingResult;
import dev.mole.orchestrator.workers.CpuWorker;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
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

    @BeforeEach
    void setUp() {
        env = TestWorkflowEnvironment.newInstance();
        Worker cpu = env.newWorker(TaskQueues.CPU, CpuWorker.workerOptions());
        cpu.registerWorkflowImplementationTypes(FinetuneWorkflowImpl.class);
        records = new FakeRecords();
        cpu.registerActivitiesImplementations(records);
        Worker gpu = env.newWorker(TaskQueues.GPU);
        training = new FakeTraining();
        gpu.registerActivitiesImplementations(training);
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
        final CountDownLatch allStarted = new CountDownLatch(3);
        volatile int running;
        volatile int maxConcurrent;
        volatile long failSeed = -1;

        @Override
        public TrainingResult train(TrainingRequest r) {
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
