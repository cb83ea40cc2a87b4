package dev.mole.deploy;

import dev.mole.contracts.config.PlatformSettings;
import dev.mole.gpu.model.ModelOptions;
import dev.mole.gpu.training.TrainingWorker;
import dev.mole.orchestrator.platform.Platform;
import dev.mole.sandbox.Sandbox;
import dev.mole.sandbox.SandboxConfig;
import dev.mole.sandbox.activity.SandboxWorker;
import io.temporal.worker.WorkerFactory;
import java.util.concurrent.TimeUnit;

/**
 * The GPU-queue and sandbox-queue workers of a one-machine platform, hosted in the {@code mole up} process so the whole
 * chain runs locally (training on the CPU when there is no GPU). A worker that cannot start here (the sandbox needs
 * root and its toolchains) is reported and left out; the rest of the platform still runs.
 */
final class LocalWorkers implements AutoCloseable {
    private final WorkerFactory factory;
    private final Sandbox sandbox;

    private LocalWorkers(WorkerFactory factory, Sandbox sandbox) {
        this.factory = factory;
        this.sandbox = sandbox;
    }

    static LocalWorkers start(Platform platform, PlatformSettings settings) {
        WorkerFactory factory = dev.mole.ops.WorkerFactories.create(platform.workflowClient());
        String device = dev.mole.contracts.config.Setting.DEVICE.read().orElse("auto");
        TrainingWorker.register(factory, platform.blobStore(), settings.home().resolve("gpu-work"),
                ModelOptions.defaults().withDevice(device));
        System.out.println("  gpu queue training worker (device " + device + ")");
        Sandbox sandbox = null;
        try {
            sandbox = Sandbox.start(SandboxConfig.defaults());
            SandboxWorker.register(factory, sandbox, platform.blobStore());
            System.out.println("  sandbox queue worker (its limits and toolchains are logged above)");
        } catch (RuntimeException e) {
            System.out.println("  sandbox worker not started: " + e.getMessage());
        }
        factory.start();
        return new LocalWorkers(factory, sandbox);
    }

    /** Evaluations need the sandbox worker: without it their programs wait for one. */
    boolean sandboxRunning() {
        return sandbox != null;
    }

    @Override
    public void close() {
        factory.shutdown();
        factory.awaitTermination(20, TimeUnit.SECONDS);
        if (sandbox != null) {
            sandbox.close();
        }
    }
}
