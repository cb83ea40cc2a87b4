package dev.mole.orchestrator.activities;

import dev.mole.contracts.evaluation.EvaluationSummary;
import dev.mole.contracts.experiment.ArmSeedResult;
import dev.mole.contracts.experiment.ExperimentActivities;
import dev.mole.contracts.experiment.ExperimentRequest;
import dev.mole.contracts.experiment.ExperimentStatus;
import dev.mole.contracts.training.TrainingResult;
import dev.mole.orchestrator.evaluation.EvaluationCatalog;
import dev.mole.orchestrator.experiment.ExperimentCatalog;
import java.util.ArrayList;
import java.util.List;

/** Writes an experiment's progress to the catalog, and reads back what an earlier run of it finished. */
public final class ExperimentActivitiesImpl implements ExperimentActivities {
    private final ExperimentCatalog experiments;
    private final EvaluationCatalog evaluations;

    public ExperimentActivitiesImpl(ExperimentCatalog experiments, EvaluationCatalog evaluations) {
        this.experiments = experiments;
        this.evaluations = evaluations;
    }

    @Override
    public List<ArmSeedResult> beginExperiment(String experimentId, ExperimentRequest request) {
        experiments.begin(experimentId, request);
        List<ArmSeedResult> done = new ArrayList<>();
        for (ExperimentCatalog.ArmSeedRow row : experiments.armSeeds(experimentId)) {
            if (!row.state().equals("COMPLETED")) continue;
            // a completed row whose evaluation is gone (deleted by hand) is run again rather than reported without scores
            evaluations.find(row.evaluationId()).filter(e -> e.status().equals("COMPLETED")).ifPresent(e ->
                    done.add(new ArmSeedResult(row.arm(), row.seed(), row.training(), e.summary(true))));
        }
        return done;
    }

    @Override
    public void recordStage(String experimentId, String stage, String state, String detail) {
        experiments.stage(experimentId, stage, state, detail);
    }

    @Override
    public void recordArmSeed(String experimentId, String arm, long seed, String state, String error) {
        experiments.armSeed(experimentId, arm, seed, state, error);
    }

    @Override
    public void registerAdapters(String experimentId, String arm, long seed, TrainingResult training) {
        // the seam for the model registry: today the experiment's own row is the record of the trained output
        experiments.registered(experimentId, arm, seed, training);
    }

    @Override
    public void recordArmSeedCompleted(String experimentId, ArmSeedResult result) {
        EvaluationSummary e = result.evaluation();
        experiments.completed(experimentId, result.arm(), result.seed(), e.evaluationId());
    }

    @Override
    public void finishExperiment(String experimentId, ExperimentStatus status, String error) {
        experiments.finished(experimentId, status, error);
    }
}
