package dev.mole.sandbox.activity;

import dev.mole.contracts.TaskQueues;
import dev.mole.contracts.storage.BlobStore;
import dev.mole.sandbox.Sandbox;
import dev.mole.sandbox.SandboxConfig;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;

/**
 * Process entry point of a sandbox worker: starts the sandbox (printing toolchains and limits in force), then polls
 * {@link TaskQueues#SANDBOX}. One batch at a time: a batch already uses every slot. Settings from the environment:
 * MOLE_TEMPORAL_TARGET (default 127.0.0.1:7233), MOLE_S3_ENDPOINT, MOLE_S3_ACCESS_KEY, MOLE_S3_SECRET_KEY.
 */
public final class SandboxWorker {
    private SandboxWorker() {}

    public static void main(String[] args) {
        Sandbox sandbox = Sandbox.start(SandboxConfig.defaults());
        System.out.println(sandbox.report().render());
        BlobStore store = new BlobStore(env("MOLE_S3_ENDPOINT", null), env("MOLE_S3_ACCESS_KEY", null), env("MOLE_S3_SECRET_KEY", null));
        WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(
                WorkflowServiceStubsOptions.newBuilder().setTarget(env("MOLE_TEMPORAL_TARGET", "127.0.0.1:7233")).build());
        WorkerFactory factory = WorkerFactory.newInstance(WorkflowClient.newInstance(service));
        Worker worker = factory.newWorker(TaskQueues.SANDBOX, WorkerOptions.newBuilder()
                .setMaxConcurrentActivityExecutionSize(1)
                .setStickyQueueScheduleToStartTimeout(Duration.ZERO) // see STACK.md: killed workers' sticky queues
                .build());
        worker.registerActivitiesImplementations(new SandboxActivitiesImpl(sandbox, BatchStorage.of(store)));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            factory.shutdown();
            sandbox.close();
        }));
        factory.start();
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            if (fallback == null) {
                throw new IllegalStateException("environment variable " + name + " is required");
            }
            return fallback;
        }
        return v;
    }
}
