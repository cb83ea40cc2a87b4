package dev.mole.ops;

import dev.mole.contracts.config.PlatformSettings;
import dev.mole.contracts.storage.BlobStore;
import io.temporal.client.WorkflowClient;
import java.util.List;

/**
 * The operations endpoints of a worker process that joins a platform (GPU, sandbox): ready when the object store (with
 * the platform's bucket) and Temporal answer; its metrics are the meters its activities register.
 */
public final class WorkerOps {
    private WorkerOps() {}

    public static OpsServer start(PlatformSettings settings, String process, BlobStore store, WorkflowClient client) {
        return OpsServer.start(OpsSettings.from(settings), process,
                List.of(ReadinessCheck.objectStore(store, settings.bucket()),
                        ReadinessCheck.temporal(client.getWorkflowServiceStubs())),
                List.of());
    }
}
