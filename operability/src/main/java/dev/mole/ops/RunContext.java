package dev.mole.ops;

import io.temporal.activity.ActivityExecutionContext;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInfo;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Puts the run id (the workflow id: {@code curation-...}, a finetune's run id, {@code evaluation-<id>}) and the activity
 * type into the SLF4J MDC for as long as an activity or a workflow task of that run executes on this thread, so every
 * log line it writes names its run ({@link LogfmtLayout} prints them); each activity ends with one line saying how it
 * ended and how long it took. Installed by {@link WorkerFactories}.
 *
 * <p>Threads an activity starts itself (a sandbox's slots, a curation's pools) do not inherit the MDC.
 */
final class RunContext extends WorkerInterceptorBase {
    private static final Logger LOG = LoggerFactory.getLogger(RunContext.class);
    static final String RUN_ID = "run_id";
    static final String WORKFLOW = "workflow";
    static final String ACTIVITY = "activity";

    @Override
    public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
        return new ActivityInboundCallsInterceptorBase(next) {
            private ActivityExecutionContext context;

            @Override
            public void init(ActivityExecutionContext context) {
                this.context = context;
                super.init(context);
            }

            @Override
            public ActivityOutput execute(ActivityInput input) {
                var info = context.getInfo();
                return within(info.getWorkflowId(), info.getWorkflowType(), info.getActivityType(), () -> {
                    long started = System.nanoTime();
                    try {
                        ActivityOutput out = super.execute(input);
                        LOG.info("activity {} completed in {} ms (attempt {})", info.getActivityType(),
                                (System.nanoTime() - started) / 1_000_000, info.getAttempt());
                        return out;
                    } catch (RuntimeException | Error e) {
                        LOG.warn("activity {} failed after {} ms (attempt {}): {}", info.getActivityType(),
                                (System.nanoTime() - started) / 1_000_000, info.getAttempt(), e.toString());
                        throw e;
                    }
                });
            }
        };
    }

    @Override
    public WorkflowInboundCallsInterceptor interceptWorkflow(WorkflowInboundCallsInterceptor next) {
        return new WorkflowInboundCallsInterceptorBase(next) {
            @Override
            public WorkflowOutput execute(WorkflowInput input) {
                WorkflowInfo info = Workflow.getInfo();
                return within(info.getWorkflowId(), info.getWorkflowType(), null, () -> super.execute(input));
            }

            @Override
            public void handleSignal(SignalInput input) {
                WorkflowInfo info = Workflow.getInfo();
                within(info.getWorkflowId(), info.getWorkflowType(), null, () -> {
                    super.handleSignal(input);
                    return null;
                });
            }
        };
    }

    /** Runs {@code body} with the keys set, restoring whatever the thread had before (nested or reused threads). */
    static <T> T within(String runId, String workflowType, String activityType, Supplier<T> body) {
        String[] keys = {RUN_ID, WORKFLOW, ACTIVITY};
        String[] values = {runId, workflowType, activityType};
        String[] before = new String[keys.length];
        for (int i = 0; i < keys.length; i++) {
            before[i] = MDC.get(keys[i]);
            put(keys[i], values[i]);
        }
        try {
            return body.get();
        } finally {
            for (int i = 0; i < keys.length; i++) {
                put(keys[i], before[i]);
            }
        }
    }

    private static void put(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
