package dev.mole.gpu.training;

import dev.mole.contracts.TaskQueues;
import dev.mole.contracts.storage.BlobStore;
import dev.mole.gpu.model.ModelOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Process entry point of a GPU training worker: polls {@link TaskQueues#GPU} with one training at a time (a run uses the
 * whole accelerator). Settings from the environment: MOLE_TEMPORAL_TARGET (default 127.0.0.1:7233), MOLE_S3_ENDPOINT,
 * MOLE_S3_ACCESS_KEY, MOLE_S3_SECRET_KEY, MOLE_GPU_WORKDIR (default ./mole-gpu-work), MOLE_DEVICE (cpu, gpu, auto; default auto).
 */
public final class TrainingWorker {
    private TrainingWorker() {}

    public static void register(WorkerFactory factory, BlobStore store, Path workDir, ModelOptions options) {
        Worker worker = factory.newWorker(TaskQueues.GPU, WorkerOptions.newBuilder()
                .setMaxConcurrentActivityExecutionSize(1)
                .setStickyQueueScheduleToStartTimeout(Duration.ZERO)
                .build());
        worker.registerActivitiesImplementations(new TrainingActivitiesImpl(store, workDir, options,
                p -> System.out.println(TrainingActivitiesImpl.render(p))));
    }

    public static void main(String[] args) {
        BlobStore store = new BlobStore(env("MOLE_S3_ENDPOINT", null), env("MOLE_S3_ACCESS_KEY", null), env("MOLE_S3_SECRET_KEY", null));
        WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(
                WorkflowServiceStubsOptions.newBuilder().setTarget(env("MOLE_TEMPORAL_TARGET", "127.0.0.1:7233")).build());
        WorkerFactory factory = WorkerFactory.newInstance(WorkflowClient.newInstance(service));
        register(factory, store, Path.of(env("MOLE_GPU_WORKDIR", "mole-gpu-work")), ModelOptions.defaults().withDevice(env("MOLE_DEVICE", "auto")));
        Runtime.getRuntime().addShutdownHook(new Thread(factory::shutdown));
        factory.start();
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            if (fallback == null) throw new IllegalStateException("environment variable " + name + " is required");
            return fallback;
        }
        return v;
    }
}
