package dev.mole.orchestrator.activities;

import dev.mole.contracts.evaluation.EvaluationActivities;
import dev.mole.contracts.evaluation.EvaluationPlan;
import dev.mole.contracts.evaluation.EvaluationRequest;
import dev.mole.contracts.evaluation.EvaluationSummary;
import dev.mole.contracts.evaluation.GenerationChunk;
import dev.mole.contracts.storage.BlobStore;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.orchestrator.evaluation.EvaluationCatalog;
import dev.mole.orchestrator.evaluation.EvaluationStage;
import java.util.List;

/** {@link EvaluationActivities} on the CPU worker: the work is in {@link EvaluationStage}; this is its Temporal face. */
public final class EvaluationActivitiesImpl implements EvaluationActivities {
    private final EvaluationStage stage;

    public EvaluationActivitiesImpl(BlobStore store, String bucket, EvaluationCatalog catalog) {
        this.stage = new EvaluationStage(store, bucket, catalog);
    }

    @Override
    public EvaluationPlan plan(EvaluationRequest request) {
        return stage.plan(request);
    }

    @Override
    public List<GenerationChunk> planExplainSynthesis(String evaluationId, EvaluationRequest request, List<ObjectRef> describeOutputs) {
        return stage.planExplainSynthesis(evaluationId, request, describeOutputs);
    }

    @Override
    public List<ObjectRef> programs(String evaluationId, List<ObjectRef> generationOutputs) {
        return stage.programs(evaluationId, generationOutputs);
    }

    @Override
    public EvaluationSummary aggregate(String evaluationId, EvaluationRequest request, List<ObjectRef> generationOutputs,
            List<ObjectRef> programBatches, List<ObjectRef> sandboxResults) {
        return stage.aggregate(evaluationId, request, generationOutputs, programBatches, sandboxResults);
    }

    @Override
    public void recordFailed(String evaluationId, String reason) {
        stage.recordFailed(evaluationId, reason);
    }
}
