package dev.mole.orchestrator.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mole.contracts.TaskQueues;
import dev.mole.contracts.evaluation.EvaluationActivities;
import dev.mole.contracts.evaluation.EvaluationPlan;
import dev.mole.contracts.evaluation.EvaluationRequest;
import dev.mole.contracts.evaluation.EvaluationSummary;
import dev.mole.contracts.evaluation.EvaluationWorkflow;
import dev.mole.contracts.evaluation.GenerationActivities;
import dev.mole.contracts.evaluation.GenerationChunk;
import dev.mole.contracts.evaluation.Oracle;
import dev.mole.contracts.evaluation.TaskKind;
import dev.mole.contracts.language.Language;
import dev.mole.contracts.sandbox.SandboxActivities;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.orchestrator.workers.CpuWorker;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The evaluation workflow's shape, with fake activities: chunks and batches keep their order while a bounded number run
 * at once, explain's second round follows the first, an oracle needs no GPU, a finished evaluation is reused, and a
 * failure is recorded. Histories replay against the current code, including one committed as a test resource.
 */
class EvaluationWorkflowTest {
    /** Set to write the committed history again (only when the workflow changes on purpose, with a version marker). */
    static final boolean WRITE_HISTORY = Boolean.getBoolean("mole.write-histories");
    static final Path COMMITTED = Path.of("src/test/resources/histories/evaluation-explain-v1.json");

    private TestWorkflowEnvironment env;
    private final FakeCpu cpu = new FakeCpu();
    private final FakeGpu gpu = new FakeGpu();
    private final FakeSandbox sandbox = new FakeSandbox();

    @BeforeEach
    void setUp() {
        env = TestWorkflowEnvironment.newInstance();
        Worker w = env.newWorker(TaskQueues.CPU, CpuWorker.workerOptions());
        w.registerWorkflowImplementationTypes(EvaluationWorkflowImpl.class);
        w.registerActivitiesImplementations(cpu);
        env.newWorker(TaskQueues.GPU).registerActivitiesImplementations(gpu);
        env.newWorker(TaskQueues.SANDBOX).registerActivitiesImplementations(sandbox);
        env.start();
    }

    @AfterEach
    void tearDown() {
        env.close();
    }

    static EvaluationRequest request(Oracle oracle, TaskKind... kinds) {
        return new EvaluationRequest("t", ObjectRef.parse("s3://mole/models/tiny"), null, List.of(kinds),
                List.of(Language.PYTHON), List.of(), 1, null, null, false, null, 0, oracle);
    }

    private EvaluationWorkflow stub(String id) {
        return env.getWorkflowClient().newWorkflowStub(EvaluationWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.CPU).setWorkflowId(id).build());
    }

    @Test
    void chunksRunBoundedAndInOrderThenExplainsSecondRoundThenSandboxBatches() throws Exception {
        cpu.firstRoundChunks = 7;
        EvaluationSummary s = stub("eval-1").evaluate(request(Oracle.NONE, TaskKind.SYNTHESIS, TaskKind.EXPLAIN_SYNTHESIS));
        assertThat(gpu.maxConcurrent.get()).isBetween(2, EvaluationWorkflowImpl.IN_FLIGHT);
        assertThat(cpu.secondRoundInput).extracting(ObjectRef::key)
                .containsExactly("r1/out-0", "r1/out-1", "r1/out-2", "r1/out-3", "r1/out-4", "r1/out-5", "r1/out-6");
        assertThat(cpu.programsInput).hasSize(9); // 7 first-round chunks + 2 of explain's synthesis
        assertThat(cpu.aggregateResults).extracting(ObjectRef::key).containsExactly("batch-0.results", "batch-1.results", "batch-2.results");
        assertThat(s.evaluationId()).isEqualTo("id-1");
        replay("eval-1");
        if (WRITE_HISTORY) {
            Files.writeString(COMMITTED, env.getWorkflowClient().fetchHistory("eval-1").toJson(true), StandardCharsets.UTF_8);
        }
    }

    @Test
    void anOracleNeedsNoGpu() {
        stub("eval-oracle").evaluate(request(Oracle.CANONICAL, TaskKind.SYNTHESIS));
        assertThat(gpu.calls.get()).isZero();
        assertThat(cpu.programsInput).hasSize(cpu.firstRoundChunks);
    }

    @Test
    void aFinishedEvaluationIsReturnedAsItIs() {
        cpu.reuse = true;
        EvaluationSummary s = stub("eval-reused").evaluate(request(Oracle.NONE, TaskKind.SYNTHESIS));
        assertThat(s.reused()).isTrue();
        assertThat(gpu.calls.get()).isZero();
        assertThat(sandbox.calls.get()).isZero();
    }

    @Test
    void aFailedChunkFailsTheEvaluationWithItsReasonRecorded() throws Exception {
        gpu.failWith = "the adapters do not match";
        assertThatThrownBy(() -> stub("eval-bad").evaluate(request(Oracle.NONE, TaskKind.SYNTHESIS)))
                .isInstanceOf(WorkflowFailedException.class);
        assertThat(cpu.failed).contains("the adapters do not match");
        replay("eval-bad");
    }

    @Test
    void theCommittedHistoryStillReplays() throws Exception {
        WorkflowReplayer.replayWorkflowExecution(
                WorkflowExecutionHistory.fromJson(Files.readString(COMMITTED, StandardCharsets.UTF_8)),
                EvaluationWorkflowImpl.class);
    }

    private void replay(String id) throws Exception {
        WorkflowClient client = env.getWorkflowClient();
        WorkflowReplayer.replayWorkflowExecution(client.fetchHistory(id), EvaluationWorkflowImpl.class);
    }

    static ObjectRef ref(String key) {
        return new ObjectRef("mole", key);
    }

    static final class FakeCpu implements EvaluationActivities {
        int firstRoundChunks = 4;
        boolean reuse;
        List<ObjectRef> secondRoundInput = List.of();
        List<ObjectRef> programsInput = List.of();
        List<ObjectRef> aggregateResults = List.of();
        String failed;

        @Override
        public EvaluationPlan plan(EvaluationRequest request) {
            if (reuse) return new EvaluationPlan("id-1", new EvaluationSummary("id-1", "t", true, List.of(), ref("samples")), List.of());
            List<GenerationChunk> chunks = new ArrayList<>();
            for (int i = 0; i < firstRoundChunks; i++) chunks.add(chunk("r1", i, request));
            return new EvaluationPlan("id-1", null, chunks);
        }

        @Override
        public List<GenerationChunk> planExplainSynthesis(String id, EvaluationRequest request, List<ObjectRef> outputs) {
            secondRoundInput = List.copyOf(outputs);
            return List.of(chunk("r2", 0, request), chunk("r2", 1, request));
        }

        @Override
        public List<ObjectRef> programs(String id, List<ObjectRef> outputs) {
            programsInput = List.copyOf(outputs);
            return List.of(ref("batch-0"), ref("batch-1"), ref("batch-2"));
        }

        @Override
        public EvaluationSummary aggregate(String id, EvaluationRequest request, List<ObjectRef> outputs, List<ObjectRef> batches,
                List<ObjectRef> results) {
            aggregateResults = List.copyOf(results);
            return new EvaluationSummary(id, request.name(), false, List.of(), ref("samples"));
        }

        @Override
        public void recordFailed(String id, String reason) {
            failed = reason;
        }

        private static GenerationChunk chunk(String round, int i, EvaluationRequest r) {
            return new GenerationChunk("id-1", i, r.baseCheckpoint(), null, null, ref(round + "/tasks-" + i), ref(round + "/out-" + i));
        }
    }

    static final class FakeGpu implements GenerationActivities {
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger maxConcurrent = new AtomicInteger();
        final AtomicInteger calls = new AtomicInteger();
        volatile String failWith;

        @Override
        public ObjectRef generate(GenerationChunk chunk) {
            calls.incrementAndGet();
            if (failWith != null) throw new IllegalArgumentException(failWith);
            int now = running.incrementAndGet();
            maxConcurrent.accumulateAndGet(now, Math::max);
            try {
                Thread.sleep(60L * (7 - chunk.index() % 7)); // later chunks finish first: order must come from the workflow
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                running.decrementAndGet();
            }
            return chunk.output();
        }
    }

    static final class FakeSandbox implements SandboxActivities {
        final AtomicInteger calls = new AtomicInteger();
        final List<String> seen = Collections.synchronizedList(new ArrayList<>());

        @Override
        public ObjectRef runBatch(ObjectRef programs) {
            calls.incrementAndGet();
            seen.add(programs.key());
            return ref(programs.key() + ".results");
        }
    }
}
