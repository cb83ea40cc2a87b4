package dev.mole.contracts.evaluation;

import dev.mole.contracts.storage.ObjectRef;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

/**
 * The CPU side of an evaluation ({@link dev.mole.contracts.TaskQueues#CPU}): planning, program extraction and the
 * aggregate. Every step writes its objects under {@code evaluations/<id>/} before it returns and writes the same bytes
 * when retried, so a retried step or a replayed workflow sees the same data.
 */
@ActivityInterface
public interface EvaluationActivities {

    /**
     * Checks the request against the models and data (unknown languages, missing or mismatched adapter pieces, a base
     * that is not the adapters' base) before any GPU work, derives the evaluation id, and either finds the finished
     * evaluation with that id or writes the first round of generation tasks.
     */
    @ActivityMethod
    EvaluationPlan plan(EvaluationRequest request);

    /** Explain's second step: synthesis tasks built from the cleaned descriptions of the describe outputs. */
    @ActivityMethod
    List<GenerationChunk> planExplainSynthesis(String evaluationId, EvaluationRequest request, List<ObjectRef> describeOutputs);

    /** Cuts each graded generation into a program and writes sandbox batches (JSONL of SandboxProgram). */
    @ActivityMethod
    List<ObjectRef> programs(String evaluationId, List<ObjectRef> generationOutputs);

    /** Joins generations, programs and verdicts into the per-sample JSONL, computes every score and records them. */
    @ActivityMethod
    EvaluationSummary aggregate(String evaluationId, EvaluationRequest request, List<ObjectRef> generationOutputs,
            List<ObjectRef> programBatches, List<ObjectRef> sandboxResults);

    @ActivityMethod
    void recordFailed(String evaluationId, String reason);
}
