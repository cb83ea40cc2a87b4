package dev.mole.orchestrator.activities;

import dev.mole.contracts.evaluation.EvaluationSummary;
import dev.mole.contracts.evaluation.Score;
import dev.mole.contracts.experiment.ArmSeedResult;
import dev.mole.contracts.experiment.ExperimentActivities;
import dev.mole.contracts.experiment.ExperimentRequest;
import dev.mole.contracts.experiment.ExperimentStatus;
import dev.mole.contracts.training.TrainingResult;
import dev.mole.orchestrator.evaluation.EvaluationCatalog;
import dev.mole.orchestrator.experiment.ExperimentCatalog;
import dev.mole.orchestrator.experiment.ExperimentRegistrations;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Writes an experiment's progress to the catalog, and reads back what an earlier run of it finished. */
public final class ExperimentActivitiesImpl implements ExperimentActivities {
    private final ExperimentCatalog experiments;
    private final EvaluationCatalog evaluations;
    private final ExperimentRegistrations registrations;

    public ExperimentActivitiesImpl(ExperimentCatalog experiments, EvaluationCatalog evaluations,
            ExperimentRegistrations registrations) {
        this.experiments = experiments;
        this.evaluations = evaluations;
        this.registrations = registrations;
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
        ExperimentCatalog.ExperimentRow e = experiments.find(experimentId)
                .orElseThrow(() -> new IllegalStateException("no experiment " + experimentId));
        String version = registrations.register(experimentId, e.name(), arm, seed, e.request().baseCheckpoint(),
                training.outputManifest());
        experiments.registered(experimentId, arm, seed, training, version);
    }

    @Override
    public void recordArmSeedCompleted(String experimentId, ArmSeedResult result) {
        EvaluationSummary e = result.evaluation();
        experiments.armSeeds(experimentId).stream()
                .filter(r -> r.arm().equals(result.arm()) && r.seed() == result.seed() && r.registeredAs() != null)
                .findFirst()
                .ifPresent(r -> registrations.recordMetrics(r.registeredAs(), e.evaluationId(), headline(e)));
        experiments.completed(experimentId, result.arm(), result.seed(), e.evaluationId());
    }

    @Override
    public void finishExperiment(String experimentId, ExperimentStatus status, String error) {
        experiments.finished(experimentId, status, error);
    }

    /**
     * What a registry version shows of its evaluation: Pass@1 per task kind, the mean over its language (and pair) cells,
     * forced-routing cells left out (they measure the experts one by one, not the model as it is used).
     */
    static Map<String, Double> headline(EvaluationSummary e) {
        return e.scores().stream().filter(s -> s.routing() == null || !s.routing().startsWith("forced"))
                .collect(Collectors.groupingBy(s -> "pass1." + s.kind().id(), TreeMap::new,
                        Collectors.averagingDouble(Score::passAt1)));
    }
}
