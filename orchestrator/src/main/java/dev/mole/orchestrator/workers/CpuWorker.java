package dev.mole.orchestrator.workers;

import dev.mole.orchestrator.activities.EvaluationActivitiesImpl;
import dev.mole.orchestrator.evaluation.EvaluationCatalog;
import dev.mole.orchestrator.workflows.EvaluationWorkflowImpl;
import dev.mole.orchestrator.activities.ExperimentActivitiesImpl;
import dev.mole.orchestrator.experiment.ExperimentCatalog;
import dev.mole.orchestrator.workflows.ArmSeedWorkflowImpl;
import dev.mole.orchestrator.workflows.ExperimentWorkflowImpl;

import dev.mole.contracts.TaskQueues;
import dev.mole.orchestrator.activities.CurationActivitiesImpl;
import dev.mole.orchestrator.curation.InputRoots;
import dev.mole.orchestrator.experiment.RegistryRegistrations;
import dev.mole.orchestrator.activities.FinetuneRecordActivitiesImpl;
import dev.mole.orchestrator.finetune.FinetuneCatalog;
import dev.mole.orchestrator.datasets.DatasetCatalog;
import dev.mole.orchestrator.platform.Platform;
import dev.mole.orchestrator.workflows.CurationWorkflowImpl;
import dev.mole.orchestrator.workflows.FinetuneWorkflowImpl;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import io.temporal.worker.WorkflowImplementationOptions;
import java.time.Duration;

/** Polls the CPU task queue: every workflow, the CPU-bound activities and the catalog bookkeeping. */
public final class CpuWorker {
    private CpuWorker() {}

    /**
     * Sticky schedule-to-start is zero: with the Temporal test server, a worker killed with kill -9 otherwise keeps its
     * workflows' next tasks on its own sticky queue forever.
     */
    public static WorkerOptions workerOptions() {
        return WorkerOptions.newBuilder()
                .setStickyQueueScheduleToStartTimeout(Duration.ZERO)
                .setMaxConcurrentActivityExecutionSize(Math.max(2, Runtime.getRuntime().availableProcessors()))
                .build();
    }

    /**
     * {@code options} may override activity timeouts per activity type (tests shorten heartbeat timeouts);
     * {@code inputRoots} are the local folders curation may read.
     */
    public static WorkerFactory start(Platform platform, WorkflowImplementationOptions options, InputRoots inputRoots) {
        WorkerFactory factory = dev.mole.ops.WorkerFactories.create(platform.workflowClient());
        Worker worker = factory.newWorker(TaskQueues.CPU, workerOptions());
        worker.registerWorkflowImplementationTypes(options, CurationWorkflowImpl.class, FinetuneWorkflowImpl.class,
                EvaluationWorkflowImpl.class, ExperimentWorkflowImpl.class, ArmSeedWorkflowImpl.class);
        worker.registerActivitiesImplementations(
                new CurationActivitiesImpl(platform.blobStore(), platform.bucket(), new DatasetCatalog(platform.dataSource()),
                        inputRoots),
                new FinetuneRecordActivitiesImpl(new FinetuneCatalog(platform.dataSource())),
                new EvaluationActivitiesImpl(platform.blobStore(), platform.bucket(), new EvaluationCatalog(platform.dataSource())),
                new ExperimentActivitiesImpl(new ExperimentCatalog(platform.dataSource()),
                        new EvaluationCatalog(platform.dataSource()),
                        new RegistryRegistrations(platform.dataSource(), platform.blobStore(), platform.bucket())));
        factory.start();
        return factory;
    }
}
