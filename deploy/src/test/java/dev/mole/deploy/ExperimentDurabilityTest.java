package dev.mole.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mole.contracts.config.PlatformSettings;
import dev.mole.contracts.curation.CurationRequest;
import dev.mole.contracts.evaluation.TaskKind;
import dev.mole.contracts.experiment.ArmSeedResult;
import dev.mole.contracts.experiment.ExperimentArm;
import dev.mole.contracts.experiment.ExperimentEvaluation;
import dev.mole.contracts.experiment.ExperimentRequest;
import dev.mole.contracts.experiment.ExperimentStatus;
import dev.mole.contracts.experiment.ExperimentSummary;
import dev.mole.contracts.language.Language;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.contracts.training.TrainingHyperParameters;
import dev.mole.contracts.training.TrainingMethod;
import dev.mole.gpu.model.ModelOptions;
import dev.mole.gpu.model.TinyCheckpointFactory;
import dev.mole.gpu.training.CheckpointStore;
import dev.mole.gpu.training.TrainingWorker;
import dev.mole.orchestrator.ExperimentService;
import dev.mole.orchestrator.LocalPlatform;
import dev.mole.orchestrator.curation.GlaiveLikeGenerator;
import dev.mole.orchestrator.stack.StackEndpoints;
import dev.mole.sandbox.Sandbox;
import dev.mole.sandbox.SandboxConfig;
import dev.mole.sandbox.activity.SandboxWorker;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.EventType;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkflowImplementationOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An experiment (curation, SVD stage, MoLE-48+16 under two seeds on a tiny generated base, a small evaluation) survives
 * a GPU worker process SIGKILLed at a random checkpoint (a real child JVM) and the whole platform stopping mid-training
 * (the embedded Temporal server, and every workflow history with it, is gone). Both end with exactly the adapters of an
 * uninterrupted run of the same request: every trained output's manifest, which lists each file's sha256, byte for byte.
 */
@Tag("sandbox")
@Tag("stack")
class ExperimentDurabilityTest {
    private static final Duration HEARTBEAT = Duration.ofSeconds(5);

    @TempDir
    static Path dir;
    static Path input;

    @BeforeAll
    static void data() throws Exception {
        input = dir.resolve("rows.jsonl");
        new GlaiveLikeGenerator(5L).write(input, 400);
    }

    static ExperimentRequest request() {
        TrainingHyperParameters hyper = TrainingHyperParameters.paper().withLearningRate(3e-3).withBatch(4, 1)
                .withMaxLength(256).withIntervals(0, 2).withMaxSteps(8);
        return new ExperimentRequest("durable", null, CurationRequest.of(input.toString()), new ObjectRef("mole", "models/tiny"),
                List.of(new ExperimentArm(null, TrainingMethod.MOLE, "48+16", null, hyper)), List.of(1L, 2L),
                new ExperimentEvaluation(List.of(TaskKind.SYNTHESIS), List.of(Language.PYTHON), List.of(), 2, null, null,
                        false, null, 16), null);
    }

    @Test
    void aGpuWorkerKilledAtARandomCheckpointCostsOnlyTheStepsSinceIt() throws Exception {
        Map<String, String> reference = uninterrupted("reference-kill");
        try (Stack s = new Stack("gpu-kill")) {
            s.startSandboxInProcess();
            Process doomed = s.child("gpu", TrainingWorker.class.getName());
            String id = s.experiments.start(request());
            int checkpoints = 1 + new Random().nextInt(3); // steps 2, 4 or 6 of 8
            System.out.println("killing the GPU worker after checkpoint " + checkpoints + " of seed 1");
            s.waitForCheckpoints(id, checkpoints, doomed);
            doomed.destroyForcibly().waitFor();
            s.startGpuInProcess();
            ExperimentSummary summary = s.experiments.await(id, Duration.ofMinutes(10));
            assertThat(summary.status()).isEqualTo(ExperimentStatus.COMPLETED);
            assertThat(s.trainAttemptsAfterTheFirst(id)).as("training was retried on the other worker").isPositive();
            assertThat(s.manifests(summary)).isEqualTo(reference);
        }
    }

    @Test
    void thePlatformStoppedMidTrainingResumesAtItsNextStartFromItsOwnRecords() throws Exception {
        Map<String, String> reference = uninterrupted("reference-restart");
        String id;
        try (Stack first = new Stack("restart")) {
            first.startSandboxInProcess();
            first.startGpuInProcess();
            id = first.experiments.start(request());
            first.waitForCheckpoints(id, 1, null);
        } // everything stops: workers, Temporal (histories lost), PostgreSQL, S3
        try (Stack second = new Stack("restart")) { // LocalPlatform.start resumes the experiment
            second.startSandboxInProcess();
            second.startGpuInProcess();
            ExperimentSummary summary = second.experiments.await(id, Duration.ofMinutes(10));
            assertThat(summary.status()).isEqualTo(ExperimentStatus.COMPLETED);
            assertThat(second.manifests(summary)).isEqualTo(reference);
            assertThat(summary.results()).extracting(r -> r.training().resumedFromStep())
                    .as("at least one seed resumed from a checkpoint of the first process").anyMatch(step -> step > 0);
        }
    }

    private static Map<String, String> uninterrupted(String name) throws Exception {
        try (Stack s = new Stack(name)) {
            s.startGpuInProcess();
            s.startSandboxInProcess();
            String id = s.experiments.start(request());
            ExperimentSummary summary = s.experiments.await(id, Duration.ofMinutes(10));
            assertThat(summary.status()).isEqualTo(ExperimentStatus.COMPLETED);
            assertRegistered(s, id, summary);
            return s.manifests(summary);
        }
    }

    /** Every trained arm x seed is a version in the real registry, with its lineage and its evaluation's Pass@1. */
    private static void assertRegistered(Stack s, String id, ExperimentSummary summary) {
        try (var registry = dev.mole.registry.AdapterRegistry.open(s.local.platform().dataSource(),
                s.local.platform().blobStore(), s.local.platform().bucket())) {
            for (var r : summary.results()) {
                if (r.training() == null) continue; // No-FT trains nothing to register
                String model = dev.mole.orchestrator.experiment.ExperimentRegistrations.modelName("durable", r.arm());
                var versions = registry.versions(model, null, 100).items();
                assertThat(versions).as("versions of " + model)
                        .anySatisfy(v -> {
                            assertThat(v.lineage().experimentId()).isEqualTo(id);
                            assertThat(v.lineage().seed()).isEqualTo(r.seed());
                            assertThat(v.metrics()).containsKey("pass1.synthesis");
                        });
            }
        }
    }

    /** A platform of its own (embedded stack, CPU worker with short heartbeat timeouts) with the tiny base uploaded. */
    static final class Stack implements AutoCloseable {
        final LocalPlatform local;
        final ExperimentService experiments;
        final Path home;
        final List<AutoCloseable> closers = new ArrayList<>();
        final List<Process> children = new ArrayList<>();

        Stack(String name) throws Exception {
            home = dir.resolve(name);
            PlatformSettings settings = PlatformSettings.from(Map.of(), k -> null).withHome(home).withPorts(0, 0, 0, 0)
                    .withCurationInputRoots(List.of(dir));
            ActivityOptions quick = ActivityOptions.newBuilder().setHeartbeatTimeout(HEARTBEAT).build();
            local = LocalPlatform.start(settings, WorkflowImplementationOptions.newBuilder().setActivityOptions(Map.of(
                    "Train", quick, "Factors", quick, "Generate", quick, "RunBatch", quick)).build(), true);
            experiments = new ExperimentService(local.platform().workflowClient(), local.platform().blobStore(),
                    local.platform().dataSource());
            TinyBase.upload(local.platform().blobStore(), local.platform().bucket(), dir.resolve("tiny"),
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
            Sandbox sandbox = Sandbox.start(SandboxConfig.defaults().withLanguages(EnumSet.of(Language.PYTHON)));
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

        /** Until seed 1 of the experiment has {@code n} whole checkpoints (commit markers) written; the doomed worker alive. */
        void waitForCheckpoints(String id, int n, Process doomed) throws Exception {
            ObjectRef root = new ObjectRef(local.platform().bucket(), "experiments/" + id + "/");
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(6);
            while (local.platform().blobStore().list(root).stream().map(ObjectRef::key)
                    .filter(k -> k.contains("/seed-1/checkpoints/") && k.endsWith(CheckpointStore.MARKER)).count() < n) {
                if (doomed != null) assertThat(doomed.isAlive()).as("doomed worker alive (log in %s)", home).isTrue();
                assertThat(System.nanoTime()).as("checkpoint %d in time", n).isLessThan(deadline);
                Thread.sleep(50);
            }
        }

        /** Arm/seed -> the bytes of its trained output's manifest (every adapter file's sha256 is in it). */
        Map<String, String> manifests(ExperimentSummary s) {
            Map<String, String> out = new TreeMap<>();
            for (ArmSeedResult r : s.results()) {
                out.put(r.arm() + "/" + r.seed(), new String(local.platform().blobStore().read(r.training().outputManifest()),
                        StandardCharsets.UTF_8));
            }
            return out;
        }

        long trainAttemptsAfterTheFirst(String id) {
            long n = 0;
            for (long seed : List.of(1L, 2L)) {
                var events = local.platform().workflowClient()
                        .fetchHistory(dev.mole.orchestrator.workflows.ArmSeedWorkflowImpl.workflowId(id, "mole-48+16", seed))
                        .getEvents();
                n += events.stream().filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED
                        && e.getActivityTaskStartedEventAttributes().getAttempt() > 1).count();
            }
            return n;
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
