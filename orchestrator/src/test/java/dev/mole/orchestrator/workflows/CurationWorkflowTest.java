package dev.mole.orchestrator.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mole.contracts.TaskQueues;
import dev.mole.contracts.curation.CurationActivities;
import dev.mole.contracts.curation.CurationRequest;
import dev.mole.contracts.curation.CurationWorkflow;
import dev.mole.contracts.curation.DatasetSummary;
import dev.mole.orchestrator.workers.CpuWorker;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The workflow's branches with fake activities; the real activities are covered by the integration tests. */
class CurationWorkflowTest {
    private TestWorkflowEnvironment env;
    private FakeActivities activities;

    @BeforeEach
    void setUp() {
        env = TestWorkflowEnvironment.newInstance();
        Worker worker = env.newWorker(TaskQueues.CPU, CpuWorker.workerOptions());
        worker.registerWorkflowImplementationTypes(CurationWorkflowImpl.class);
        activities = new FakeActivities();
        worker.registerActivitiesImplementations(activities);
        env.start();
    }

    @AfterEach
    void tearDown() {
        env.close();
    }

    private CurationWorkflow stub(String id) {
        return env.getWorkflowClient().newWorkflowStub(CurationWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.CPU).setWorkflowId(id).build());
    }

    @Test
    void curatesANewInputAndRecordsTheRun() throws Exception {
        DatasetSummary s = stub("run-new").curate(CurationRequest.of("/data/in.jsonl"));
        assertThat(s.datasetId()).isEqualTo("ds-1");
        assertThat(s.reused()).isFalse();
        assertThat(activities.calls).containsExactly("started run-new", "fingerprint", "find ds-1", "curate ds-1 run-new");
        replay("run-new");
    }

    @Test
    void reusesAnExistingDatasetWithoutCurating() throws Exception {
        activities.existing = true;
        DatasetSummary s = stub("run-reuse").curate(CurationRequest.of("/data/in.jsonl"));
        assertThat(s.reused()).isTrue();
        assertThat(activities.calls).containsExactly("started run-reuse", "fingerprint", "find ds-1",
                "finished run-reuse ds-1 null");
        replay("run-reuse");
    }

    @Test
    void badInputFailsOnceWithTheUsersMessageAndMarksTheRunFailed() throws Exception {
        activities.badInput = true;
        assertThatThrownBy(() -> stub("run-bad").curate(CurationRequest.of("/nope.jsonl")))
                .isInstanceOf(WorkflowFailedException.class);
        assertThat(activities.fingerprintAttempts.get()).isEqualTo(1); // not retried
        assertThat(activities.calls).containsExactly("started run-bad", "fingerprint",
                "finished run-bad null input file not found: /nope.jsonl");
        replay("run-bad");
    }

    /** Pins determinism: the recorded history must replay against the current workflow code. */
    private void replay(String workflowId) throws Exception {
        WorkflowClient client = env.getWorkflowClient();
        WorkflowReplayer.replayWorkflowExecution(client.fetchHistory(workflowId), CurationWorkflowImpl.class);
    }

    static final class FakeActivities implements CurationActivities {
        final List<String> calls = new ArrayList<>();
        final AtomicInteger fingerprintAttempts = new AtomicInteger();
        boolean existing;
        boolean badInput;

        private DatasetSummary summary(boolean reused) {
            return new DatasetSummary("ds-1", "in", "s3://mole/datasets/ds-1/manifest.json", 10, 8, 7, 1, 2, reused);
        }

        @Override
        public synchronized InputFingerprint fingerprint(CurationRequest request) {
            calls.add("fingerprint");
            fingerprintAttempts.incrementAndGet();
            if (badInput) {
                throw ApplicationFailure.newNonRetryableFailure("input file not found: " + request.inputUri(),
                        CurationWorkflowImpl.INVALID_INPUT);
            }
            return new InputFingerprint("ds-1", "abc", 123, "jsonl");
        }

        @Override
        public synchronized Optional<DatasetSummary> findDataset(String datasetId) {
            calls.add("find " + datasetId);
            return existing ? Optional.of(summary(false)) : Optional.empty();
        }

        @Override
        public synchronized DatasetSummary curate(CurationRequest request, InputFingerprint fp, String runId) {
            calls.add("curate " + fp.datasetId() + " " + runId);
            return summary(false);
        }

        @Override
        public synchronized void recordRunStarted(String runId, CurationRequest request) {
            calls.add("started " + runId);
        }

        @Override
        public synchronized void recordRunFinished(String runId, String datasetId, String error) {
            calls.add("finished " + runId + " " + datasetId + " " + error);
        }
    }
}
