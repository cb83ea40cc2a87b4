package dev.mole.ops;

import io.temporal.client.WorkflowClient;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;

/** The one way the platform creates a Temporal {@link WorkerFactory}: with the run id put in every log line's MDC. */
public final class WorkerFactories {
    private WorkerFactories() {}

    public static WorkerFactory create(WorkflowClient client) {
        return WorkerFactory.newInstance(client, WorkerFactoryOptions.newBuilder()
                .setWorkerInterceptors(new RunContext())
                .build());
    }
}
