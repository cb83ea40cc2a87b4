package dev.mole.ops;

import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * {@code mole_task_queue_backlog{queue, type}}: Temporal's approximate backlog of each task queue (workflow and activity
 * tasks), read by DescribeTaskQueue with statistics when Prometheus scrapes. {@code mole_task_queue_backlog_supported}
 * says whether the server reports it: the Java test server behind the embedded stack does not implement
 * DescribeTaskQueue at all, and then no backlog series exists rather than a made-up number.
 */
public final class TaskQueueBacklog implements MeterBinder {
    private static final List<TaskQueueType> TYPES =
            List.of(TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY);

    private final WorkflowServiceStubs stubs;
    private final String namespace;
    private final List<String> queues;

    public TaskQueueBacklog(WorkflowServiceStubs stubs, String namespace, List<String> queues) {
        this.stubs = stubs;
        this.namespace = namespace;
        this.queues = List.copyOf(queues);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        boolean supported = supported();
        Gauge.builder("mole.task.queue.backlog.supported", () -> supported ? 1 : 0)
                .description("1 when the Temporal server reports task queue backlogs, 0 when it cannot (the test server)")
                .register(registry);
        if (!supported) {
            LoggerFactory.getLogger(TaskQueueBacklog.class).info(
                    "the Temporal server does not implement DescribeTaskQueue: no task queue backlog metrics");
            return;
        }
        for (String queue : queues) {
            for (TaskQueueType type : TYPES) {
                Gauge.builder("mole.task.queue.backlog", () -> backlog(queue, type))
                        .description("approximate number of tasks waiting in the queue (Temporal DescribeTaskQueue)")
                        .tag("queue", queue).tag("type", type == TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW ? "workflow" : "activity")
                        .register(registry);
            }
        }
    }

    /** False only when the server says it does not implement the call; other failures are transient. */
    boolean supported() {
        try {
            describe(queues.isEmpty() ? "mole-probe" : queues.get(0), TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW);
            return true;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode() != Status.Code.UNIMPLEMENTED;
        }
    }

    /** NaN (no sample) while the server does not answer. */
    private double backlog(String queue, TaskQueueType type) {
        try {
            return describe(queue, type);
        } catch (StatusRuntimeException e) {
            return Double.NaN;
        }
    }

    private long describe(String queue, TaskQueueType type) {
        return stubs.blockingStub().withDeadline(Deadline.after(ReadinessCheck.TIMEOUT_SECONDS, TimeUnit.SECONDS))
                .describeTaskQueue(DescribeTaskQueueRequest.newBuilder()
                        .setNamespace(namespace)
                        .setTaskQueue(TaskQueue.newBuilder().setName(queue).build())
                        .setTaskQueueType(type)
                        .setReportStats(true)
                        .build())
                .getStats().getApproximateBacklogCount();
    }
}
