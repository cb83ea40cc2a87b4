package dev.mole.orchestrator.platform;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowNotFoundException;
import java.util.Locale;
import java.util.Optional;

/** Temporal's description of a workflow, or empty when Temporal does not know the id. */
public final class WorkflowDescriptions {
    private WorkflowDescriptions() {}

    /**
     * Empty for an unknown id, and for a workflow of another type: a run id from a URL may name any workflow. Depending
     * on the server, an unknown id arrives as {@link WorkflowNotFoundException} or as a bare gRPC NOT_FOUND.
     */
    public static Optional<WorkflowExecutionDescription> describe(WorkflowClient client, String workflowId,
            String workflowType) {
        WorkflowExecutionDescription d;
        try {
            d = client.newUntypedWorkflowStub(workflowId).describe();
        } catch (WorkflowNotFoundException e) {
            return Optional.empty();
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
        return workflowType.equals(d.getWorkflowType()) ? Optional.of(d) : Optional.empty();
    }

    public static boolean running(WorkflowExecutionDescription d) {
        return d.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
    }

    /** Temporal's word for the status: "running", "completed", "failed", "terminated", "timed_out"... */
    public static String statusWord(WorkflowExecutionDescription d) {
        return d.getStatus().name().replace("WORKFLOW_EXECUTION_STATUS_", "").toLowerCase(Locale.ROOT);
    }
}
