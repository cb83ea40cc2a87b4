package dev.mole.orchestrator.platform;

import dev.mole.contracts.TaskQueues;
import dev.mole.ops.OpsServer;
import dev.mole.ops.OpsSettings;
import dev.mole.ops.ReadinessCheck;
import dev.mole.ops.TaskQueueBacklog;
import java.util.List;

/**
 * The operations endpoints of a platform process ({@code mole up}, a CPU worker): ready when PostgreSQL, the object
 * store and Temporal answer; metrics add runs by state and the backlog of every task queue.
 */
public final class PlatformOps {
    private PlatformOps() {}

    public static OpsServer start(Platform platform, OpsSettings settings) {
        var stubs = platform.workflowClient().getWorkflowServiceStubs();
        return OpsServer.start(settings, "platform",
                List.of(ReadinessCheck.postgres(platform.dataSource()),
                        ReadinessCheck.objectStore(platform.blobStore(), platform.bucket()),
                        ReadinessCheck.temporal(stubs)),
                List.of(new RunsByState(platform.dataSource()),
                        new TaskQueueBacklog(stubs, platform.endpoints().temporalNamespace(),
                                List.of(TaskQueues.CPU, TaskQueues.GPU, TaskQueues.SANDBOX))));
    }
}
