package dev.mole.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mole.contracts.config.PlatformSettings;
import dev.mole.contracts.evaluation.EvaluationRequest;
import dev.mole.contracts.evaluation.EvaluationSummary;
import dev.mole.contracts.evaluation.Oracle;
import dev.mole.contracts.evaluation.TaskKind;
import dev.mole.contracts.language.Language;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.gpu.model.ModelOptions;
import dev.mole.gpu.model.TinyCheckpointFactory;
import dev.mole.gpu.training.TrainingWorker;
import dev.mole.orchestrator.EvaluationService;
import dev.mole.orchestrator.LocalPlatform;
import dev.mole.orchestrator.stack.StackEndpoints;
import dev.mole.sandbox.Sandbox;
import dev.mole.sandbox.SandboxConfig;
import dev.mole.sandbox.activity.SandboxWorker;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.EventType;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkflowImplementationOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A GPU worker process and a sandbox worker process are each SIGKILLed in the middle of an evaluation (real child JVMs,
 * no shutdown hook). Another worker takes over from the chunk or batch in flight, and the evaluation ends with exactly
 * the samples and scores of an uninterrupted run of the same request.
 */
@Tag("sandbox")
@Tag("stack")
class EvaluationCrashTest {
    private static final Duration HEARTBEAT = Duration.ofSeconds(5);

    @TempDir
    static Path dir;

    @BeforeAll
    static void smallChunks() {
        // several chunks and batches, so that one is done, one in flight and more waiting when the worker dies
        System.setProperty("mole.evaluation.chunk", "3");
        System.setProperty("mole.evaluation.batch", "3");
    }

    @AfterAll
    static void restore() {
        System.clearProperty("mole.evaluation.chunk");
        System.clearProperty("mole.evaluation.batch");
    }

    static EvaluationRequest request(ObjectRef base) {
        return new EvaluationRequest("crash", base, null, List.of(TaskKind.SYNTHESIS), List.of(Language.PYTHON, Language.JAVASCRIPT),
                List.of(), 6, null, null, false, null, 24, Oracle.NONE);
    }

    @Test
    void aKilledGpuWorkerCostsOnlyItsChunk() throws Exception {
        String reference = uninterrupted("reference-gpu");
        try (Stack s = new Stack("gpu-crash")) {
            s.startSandboxInProcess();
            Process doomed = s.child("gpu", TrainingWorker.class.getName());
            String id = s.evaluations.start(request(s.base));
            s.waitFor(k -> k.contains("/r1/outputs-"), doomed);
            doomed.destroyForcibly().waitFor();
            s.startGpuInProcess();
            EvaluationSummary summary = s.evaluations.await(id, Duration.ofMinutes(8));
            assertRetried(s, id, "Generate");
            assertThat(s.samples(summary)).isEqualTo(reference);
        }
    }

    @Test
    void aKilledSandboxWorkerCostsOnlyItsBatch() throws Exception {
        String reference = uninterrupted("reference-sandbox");
        try (Stack s = new Stack("sandbox-crash")) {
            s.startGpuInProcess();
            Process doomed = s.child("sandbox", SandboxWorker.class.getName());
            String id = s.evaluations.start(request(s.base));
            s.waitFor(k -> k.contains("/programs/batch-") && k.endsWith(".results.jsonl"), doomed);
            doomed.destroyForcibly().waitFor();
            s.startSandboxInProcess();
            EvaluationSummary summary = s.evaluations.await(id, Duration.ofMinutes(8));
            assertRetried(s, id, "RunBatch");
            assertThat(s.samples(summary)).isEqualTo(reference);
        }
    }

    private static String uninterrupted(String name) throws Exception {
        try (Stack s = new Stack(name)) {
            s.startGpuInProcess();
            s.startSandboxInProcess();
            return s.samples(s.evaluations.await(s.evaluations.start(request(s.base)), Duration.ofMinutes(8)));
        }
    }

    private static void assertRetried(Stack s, String id, String activityType) {
        var events = s.local.platform().workflowClient().fetchHistory(EvaluationService.WORKFLOW_PREFIX + id).getEvents();
        List<Long> scheduled = new ArrayList<>();
        for (var e : events) {
            if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
                    && e.getActivityTaskScheduledEventAttributes().getActivityType().getName().equals(activityType)) {
                scheduled.add(e.getEventId());
            }
        }
        assertThat(events).as("a " + activityType + " attempt after the kill")
                .anyMatch(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED
                        && scheduled.contains(e.getActivityTaskStartedEventAttributes().getScheduledEventId())
                        && e.getActivityTaskStartedEventAttributes().getAttempt() > 1);
    }

    /** A platform of its own (embedded stack + CPU worker with short heartbeat timeouts) and the tiny base in its store. */
    static final class Stack implements AutoCloseable {
        final LocalPlatform local;
        final EvaluationService evaluations;
        final ObjectRef base;
        final Path home;
        final List<AutoCloseable> closers = new ArrayList<>();
        final List<Process> children = new ArrayList<>();

        Stack(String name) throws Exception {
            home = dir.resolve(name);
            PlatformSettings settings = PlatformSettings.from(Map.of(), k -> null).withHome(home).withPorts(0, 0, 0, 0);
            ActivityOptions quick = ActivityOptions.newBuilder().setHeartbeatTimeout(HEARTBEAT).build();
            local = LocalPlatform.start(settings, WorkflowImplementationOptions.newBuilder()
                    .setActivityOptions(Map.of("Generate", quick, "RunBatch", quick)).build(), true);
            evaluations = new EvaluationService(local.platform().workflowClient(), local.platform().blobStore());
            base = TinyBase.upload(local.platform().blobStore(), local.platform().bucket(), home.resolve("tiny"),
                    TinyCheckpointFactory.Options.defaults());
        }

        void startGpuInProcess() {
            WorkerFactory f = WorkerFactory.newInstance(local.platform().workflowClient());
            TrainingWorker.register(f, local.platform().blobStore(), home.resolve("gpu-work"), ModelOptions.defaults());
            f.start();
            closers.add(() -> {
                f.shutdownNow();
                f.awaitTermination(10, TimeUnit.SECONDS);
            });
        }

        void startSandboxInProcess() {
            Sandbox sandbox = Sandbox.start(SandboxConfig.defaults().withLanguages(java.util.EnumSet.of(Language.PYTHON, Language.JAVASCRIPT)));
            WorkerFactory f = WorkerFactory.newInstance(local.platform().workflowClient());
            SandboxWorker.register(f, sandbox, local.platform().blobStore());
            f.start();
            closers.add(() -> {
                f.shutdownNow();
                f.awaitTermination(10, TimeUnit.SECONDS);
                sandbox.close();
            });
        }

        Process child(String name, String mainClass) throws Exception {
            StackEndpoints e = local.platform().endpoints();
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> cmd = List.of(java, "-Xmx768m", "--enable-native-access=ALL-UNNAMED",
                    "-Dmole.temporal.target=" + e.temporalTarget(),
                    "-Dmole.s3.endpoint=" + e.s3Endpoint(),
                    "-Dmole.s3.access-key=" + e.s3AccessKey(),
                    "-Dmole.s3.secret-key=" + e.s3SecretKey(),
                    "-Dmole.s3.bucket=" + e.bucket(),
                    "-Dmole.home=" + home.resolve(name + "-worker-home"),
                    "-Dmole.device=cpu",
                    "-cp", System.getProperty("java.class.path"), mainClass);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(home.resolve(name + "-worker.log").toFile()).start();
            children.add(p);
            return p;
        }

        /** Until an object whose key matches exists (the doomed worker must be alive all the while). */
        void waitFor(Predicate<String> key, Process doomed) throws Exception {
            ObjectRef root = new ObjectRef(local.platform().bucket(), "evaluations/");
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
            while (local.platform().blobStore().list(root).stream().map(ObjectRef::key).noneMatch(key)) {
                assertThat(doomed.isAlive()).as("doomed worker alive (log in %s)", home).isTrue();
                assertThat(System.nanoTime()).as("the doomed worker finished a first piece in time").isLessThan(deadline);
                Thread.sleep(50);
            }
        }

        String samples(EvaluationSummary s) {
            return new String(local.platform().blobStore().read(s.samples()), java.nio.charset.StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            for (Process p : children) p.destroyForcibly();
            for (int i = closers.size() - 1; i >= 0; i--) {
                try {
                    closers.get(i).close();
                } catch (Exception ignored) {
                    // best effort: the next test has its own stack
                }
            }
            local.close();
        }
    }
}
