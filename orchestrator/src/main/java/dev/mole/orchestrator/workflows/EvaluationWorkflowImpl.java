package dev.mole.orchestrator.workflows;

import dev.mole.contracts.TaskQueues;
import dev.mole.contracts.evaluation.EvaluationActivities;
import dev.mole.contracts.evaluation.EvaluationPlan;
import dev.mole.contracts.evaluation.EvaluationRequest;
import dev.mole.contracts.evaluation.EvaluationSummary;
import dev.mole.contracts.evaluation.EvaluationWorkflow;
import dev.mole.contracts.evaluation.GenerationActivities;
import dev.mole.contracts.evaluation.GenerationChunk;
import dev.mole.contracts.evaluation.Oracle;
import dev.mole.contracts.evaluation.TaskKind;
import dev.mole.contracts.sandbox.SandboxActivities;
import dev.mole.contracts.storage.ObjectRef;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Plan on the CPU queue, generate chunk by chunk on the GPU queue, cut programs, run them in sandbox batches, aggregate.
 * Every step's data is an object written before the step reports done, so a killed GPU or sandbox worker costs the chunk
 * or batch in flight and nothing else; the retried activity has the same input and finds or rewrites the same object.
 * A few chunks and batches are in flight at once so that several workers of a kind share the work.
 */
public class EvaluationWorkflowImpl implements EvaluationWorkflow {
    /** Chunks or batches in flight at once: enough to keep two or three workers of a kind busy. */
    static final int IN_FLIGHT = 3;

    private static final RetryOptions RETRY = RetryOptions.newBuilder()
            .setMaximumInterval(Duration.ofSeconds(30))
            .setMaximumAttempts(10)
            .setDoNotRetry(IllegalArgumentException.class.getName())
            .build();

    private final EvaluationActivities cpu = Workflow.newActivityStub(EvaluationActivities.class,
            ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(Duration.ofMinutes(30))
                    .setRetryOptions(RETRY)
                    .build());

    private final GenerationActivities gpu = Workflow.newActivityStub(GenerationActivities.class,
            ActivityOptions.newBuilder()
                    .setTaskQueue(TaskQueues.GPU)
                    .setStartToCloseTimeout(Duration.ofHours(6))
                    .setHeartbeatTimeout(Duration.ofMinutes(5))
                    .setRetryOptions(RETRY)
                    .build());

    private final SandboxActivities sandbox = Workflow.newActivityStub(SandboxActivities.class,
            ActivityOptions.newBuilder()
                    .setTaskQueue(TaskQueues.SANDBOX)
                    .setStartToCloseTimeout(Duration.ofHours(2))
                    .setHeartbeatTimeout(Duration.ofMinutes(2))
                    .setRetryOptions(RETRY)
                    .build());

    @Override
    public EvaluationSummary evaluate(EvaluationRequest request) {
        EvaluationPlan plan = cpu.plan(request);
        if (plan.reused() != null) {
            return plan.reused();
        }
        String id = plan.evaluationId();
        try {
            List<ObjectRef> outputs = new ArrayList<>(generate(request, plan.chunks()));
            if (request.kinds().contains(TaskKind.EXPLAIN_SYNTHESIS)) {
                outputs.addAll(generate(request, cpu.planExplainSynthesis(id, request, outputs)));
            }
            List<ObjectRef> batches = cpu.programs(id, outputs);
            List<ObjectRef> results = inWaves(batches, sandbox::runBatch);
            return cpu.aggregate(id, request, outputs, batches, results);
        } catch (ActivityFailure failure) {
            String reason = Failures.reason(failure);
            cpu.recordFailed(id, reason);
            throw ApplicationFailure.newFailure("evaluation " + id + " failed: " + reason, "EvaluationFailed");
        }
    }

    /** In oracle mode the planner already wrote each chunk's output; there is nothing for a GPU to do. */
    private List<ObjectRef> generate(EvaluationRequest request, List<GenerationChunk> chunks) {
        if (request.oracle() != Oracle.NONE) {
            return chunks.stream().map(GenerationChunk::output).toList();
        }
        return inWaves(chunks, gpu::generate);
    }

    /** Results in input order, with at most {@link #IN_FLIGHT} calls running at a time. */
    private static <T> List<ObjectRef> inWaves(List<T> inputs, Function<T, ObjectRef> call) {
        List<ObjectRef> out = new ArrayList<>(inputs.size());
        List<Promise<ObjectRef>> running = new ArrayList<>();
        for (T input : inputs) {
            running.add(Async.function(call::apply, input));
            if (running.size() == IN_FLIGHT) {
                out.add(running.remove(0).get());
            }
        }
        for (Promise<ObjectRef> p : running) {
            out.add(p.get());
        }
        return out;
    }
}
