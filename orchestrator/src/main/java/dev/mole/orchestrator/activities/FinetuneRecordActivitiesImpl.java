package dev.mole.orchestrator.activities;

import dev.mole.contracts.training.FinetuneRecordActivities;
import dev.mole.contracts.training.FinetuneRequest;
import dev.mole.contracts.training.FinetuneSummary;
import dev.mole.contracts.training.TrainingResult;
import dev.mole.orchestrator.finetune.FinetuneCatalog;

/** Writes finetuning progress to the catalog, which the console reads. */
public final class FinetuneRecordActivitiesImpl implements FinetuneRecordActivities {
    private final FinetuneCatalog catalog;

    public FinetuneRecordActivitiesImpl(FinetuneCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public void recordFinetuneStarted(String runId, FinetuneRequest request) {
        catalog.started(runId, request);
    }

    @Override
    public void recordSeedFinished(String runId, long seed, TrainingResult result) {
        catalog.seedFinished(runId, seed, result);
    }

    @Override
    public void recordSeedFailed(String runId, long seed, String error) {
        catalog.seedFailed(runId, seed, error);
    }

    @Override
    public void recordFinetuneFinished(String runId, FinetuneSummary summary, String error) {
        catalog.finished(runId, summary, error);
    }
}
