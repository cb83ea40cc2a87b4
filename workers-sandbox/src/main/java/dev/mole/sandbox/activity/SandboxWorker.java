package dev.mole.sandbox.activity;

import dev.mole.contracts.TaskQueues;
import dev.mole.contracts.config.Connections;
import dev.mole.contracts.config.PlatformSettings;
import dev.mole.contracts.storage.BlobStore;
import dev.mole.sandbox.Sandbox;
import dev.mole.sandbox.SandboxConfig;
import dev.mole.ops.OpsServer;
import dev.mole.ops.WorkerFactories;
import dev.mole.ops.WorkerOps;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;

/**
 * A sandbox worker polls {@link TaskQueues#SANDBOX}, one batch at a time (a batch already uses every slot). As its own
 * process ({@link #main}) it reads the platform settings like every worker (MOLE_TEMPORAL_TARGET, MOLE_S3_ENDPOINT,
 * MOLE_S3_ACCESS_KEY, MOLE_S3_SECRET_KEY); {@code mole up} hosts one in the platform process through {@link #register}.
 */
public final class SandboxWorker {
    private SandboxWorker() {}

    public static void register(WorkerFactory factory, Sandbox sandbox, BlobStore store) {
        Worker worker = factory.newWorker(TaskQueues.SANDBOX, WorkerOptions.newBuilder()
                .setMaxConcurrentActivityExecutionSize(1)
                .setStickyQueueScheduleToStartTimeout(Duration.ZERO) // see STACK.md: killed workers' sticky queues
                .build());
        worker.registerActivitiesImplementations(new SandboxActivitiesImpl(sandbox, BatchStorage.of(store)));
    }

    public static void main(String[] args) {
        PlatformSettings settings = PlatformSettings.fromEnvironment();
        Sandbox sandbox = Sandbox.start(SandboxConfig.defaults());
        System.out.println(sandbox.report().render());
        WorkflowClient client = Connections.workflowClient(settings);
        WorkerFactory factory = WorkerFactories.create(client);
        BlobStore store = Connections.blobStore(settings);
        register(factory, sandbox, store);
        OpsServer ops = WorkerOps.start(settings, "sandbox-worker", store, client);
        System.out.println(ops.describe());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            factory.shutdown();
            ops.close();
            sandbox.close();
        }));
        factory.start();
    }
}
