package dev.mole.gpu.training;

import dev.mole.gpu.evaluation.GenerationActivitiesImpl;

import dev.mole.contracts.TaskQueues;
import dev.mole.contracts.storage.BlobStore;
import dev.mole.gpu.model.ModelOptions;
import dev.mole.contracts.config.Connections;
import dev.mole.contracts.config.Setting;
import dev.mole.contracts.config.PlatformSettings;
import dev.mole.ops.OpsServer;
import dev.mole.ops.WorkerFactories;
import dev.mole.ops.WorkerOps;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A GPU training worker polls {@link TaskQueues#GPU} with one activity at a time (training, the SVD stage, generation:
 * each uses the whole accelerator). As
 * its own process it reads the platform settings like every worker (MOLE_TEMPORAL_TARGET, MOLE_S3_ENDPOINT,
 * MOLE_S3_ACCESS_KEY, MOLE_S3_SECRET_KEY; work files under MOLE_HOME/gpu-work) and MOLE_DEVICE (cpu, gpu, auto; default
 * auto); {@code mole up} hosts one in the platform process through {@link #register}.
 */
public final class TrainingWorker {
    /** How often progress reaches Temporal at most; a heartbeat is a few kB (the loss curve is bounded). */
    static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(5);

    /** One per process: every training activity of this process reports to the same meters. */
    private static final TrainingMetrics METRICS = TrainingMetrics.global();
    private static final Logger LOG = LoggerFactory.getLogger(TrainingWorker.class);

    private TrainingWorker() {}

    public static void register(WorkerFactory factory, BlobStore store, Path workDir, ModelOptions options) {
        Worker worker = factory.newWorker(TaskQueues.GPU, WorkerOptions.newBuilder()
                .setMaxConcurrentActivityExecutionSize(1)
                .setStickyQueueScheduleToStartTimeout(Duration.ZERO)
                // heartbeats carry the console's live progress: the SDK's default throttle (up to 60 s) made it lag a minute
                .setMaxHeartbeatThrottleInterval(HEARTBEAT_EVERY)
                .setDefaultHeartbeatThrottleInterval(HEARTBEAT_EVERY)
                .build());
        worker.registerActivitiesImplementations(new TrainingActivitiesImpl(store, workDir, options,
                p -> {
                    LOG.info(TrainingActivitiesImpl.render(p)); // on the activity's thread: the line names its run
                    METRICS.onProgress(p);
                }),
                new SvdActivitiesImpl(store, workDir.resolve("svd-base"), options),
                new GenerationActivitiesImpl(store, workDir.resolve("evaluation"), options, generationBatch()));
    }

    /**
     * Sequences decoded together by evaluation generation ({@code MOLE_GENERATION_BATCH}, default 32, the largest batch
     * {@code ./mole bench generation} measures on a CPU; a GPU can take more).
     */
    static int generationBatch() {
        String v = Setting.GENERATION_BATCH.read().orElse("32");
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 1) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("MOLE_GENERATION_BATCH must be a positive integer, got '" + v + "'");
    }

    public static void main(String[] args) {
        PlatformSettings settings = PlatformSettings.fromEnvironment();
        WorkflowClient client = Connections.workflowClient(settings);
        WorkerFactory factory = WorkerFactories.create(client);
        String device = Setting.DEVICE.read().orElse("auto");
        BlobStore store = Connections.blobStore(settings);
        register(factory, store, settings.home().resolve("gpu-work"), ModelOptions.defaults().withDevice(device));
        OpsServer ops = WorkerOps.start(settings, "gpu-worker", store, client);
        System.out.println(ops.describe());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            factory.shutdown();
            ops.close();
        }));
        factory.start();
    }
}
