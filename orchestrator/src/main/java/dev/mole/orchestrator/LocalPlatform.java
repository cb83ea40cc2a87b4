package dev.mole.orchestrator;

import dev.mole.contracts.config.PlatformSettings;
import dev.mole.orchestrator.curation.InputRoots;
import dev.mole.orchestrator.datasets.DatasetCatalog;
import dev.mole.orchestrator.finetune.FinetuneCatalog;
import dev.mole.orchestrator.platform.Platform;
import dev.mole.orchestrator.platform.PlatformOps;
import dev.mole.ops.OpsServer;
import dev.mole.ops.OpsSettings;
import dev.mole.orchestrator.stack.EmbeddedStack;
import dev.mole.orchestrator.workers.CpuWorker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkflowImplementationOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * The platform in one process: the embedded services the settings leave unconfigured, connections to all three, and a
 * CPU worker. Closing it stops them in reverse order.
 */
public final class LocalPlatform implements AutoCloseable {
    private final EmbeddedStack stack;
    private final Platform platform;
    private final WorkerFactory cpuWorker;
    private final OpsServer ops;

    private LocalPlatform(EmbeddedStack stack, Platform platform, WorkerFactory cpuWorker, OpsServer ops) {
        this.stack = stack;
        this.platform = platform;
        this.cpuWorker = cpuWorker;
        this.ops = ops;
    }

    public static LocalPlatform start(PlatformSettings settings) {
        return start(settings, WorkflowImplementationOptions.getDefaultInstance(), true);
    }

    public static LocalPlatform start(PlatformSettings settings, WorkflowImplementationOptions options,
            boolean withCpuWorker) {
        EmbeddedStack stack = EmbeddedStack.start(settings);
        Platform platform = null;
        OpsServer ops = null;
        try {
            platform = Platform.connect(stack.endpoints());
            if (settings.embeddedTemporal()) {
                failOrphans(platform);
            }
            ops = PlatformOps.start(platform, OpsSettings.from(settings));
            WorkerFactory worker = withCpuWorker ? CpuWorker.start(platform, options,
                    new InputRoots(settings.curationInputRoots())) : null;
            if (settings.embeddedTemporal()) {
                resumeExperiments(platform);
            }
            return new LocalPlatform(stack, platform, worker, ops);
        } catch (RuntimeException e) {
            if (ops != null) {
                ops.close();
            }
            if (platform != null) {
                platform.close();
            }
            stack.close();
            throw e;
        }
    }

    /**
     * The embedded Temporal server keeps workflow histories in memory: runs recorded as RUNNING by an earlier process can
     * never finish, so they are marked FAILED with a reason instead of showing progress forever. Their finished work is
     * not lost: a curation with the same input reuses its dataset, a training resumes from its last checkpoint.
     */
    private static void failOrphans(Platform platform) {
        String reason = "the platform stopped while this run was in progress (the embedded Temporal server keeps "
                + "workflow history in memory); start it again: finished datasets are reused, training resumes from its "
                + "last checkpoint";
        int curations = new DatasetCatalog(platform.dataSource()).failRunningRuns(reason);
        new FinetuneCatalog(platform.dataSource()).failRunningRuns(reason);
        if (curations > 0) {
            LoggerFactory.getLogger(LocalPlatform.class).warn("{} curation run(s) of an earlier process marked failed", curations);
        }
    }

    /**
     * Experiments, unlike single runs, resume by themselves: their progress is in PostgreSQL (finished arms and seeds
     * with their results) and the object store (checkpoints), so each RUNNING one is started again under its own id and
     * request, and the new run skips what is finished.
     */
    private static void resumeExperiments(Platform platform) {
        List<String> resumed = new ExperimentService(platform.workflowClient(), platform.blobStore(), platform.dataSource())
                .resumeUnfinished();
        if (!resumed.isEmpty()) {
            LoggerFactory.getLogger(LocalPlatform.class).info("resumed {} unfinished experiment(s): {}", resumed.size(), resumed);
        }
    }

    public Platform platform() {
        return platform;
    }

    /** This process's /health, /ready and /metrics (docs/architecture.md, "Operability"). */
    public OpsServer ops() {
        return ops;
    }

    @Override
    public void close() {
        if (cpuWorker != null) {
            cpuWorker.shutdown();
            cpuWorker.awaitTermination(10, TimeUnit.SECONDS);
        }
        ops.close();
        platform.close();
        stack.close();
    }
}
