package dev.mole.console.internal;

import dev.mole.contracts.training.FinetuneSummary;
import dev.mole.orchestrator.finetune.FinetuneCatalog.FinetuneRun;
import java.time.Instant;
import java.util.Map;

/**
 * A finetune run as the run list shows it.
 *
 * @param summary per validation-loss key ("all", each language; "lang/lang" for PER_LANG), the mean and spread over
 *                seeds; null until the run completed
 */
public record FinetuneRunView(
        String runId,
        String name,
        String method,
        String variant,
        String init,
        String status,
        int seedsDone,
        int seedsTotal,
        Map<String, FinetuneSummary.Spread> summary,
        String error,
        String datasetManifest,
        String baseCheckpoint,
        Instant startedAt,
        Instant updatedAt) {

    static FinetuneRunView of(FinetuneRun r) {
        return new FinetuneRunView(r.runId(), r.name(), r.method(), r.variant(), r.init(), r.status(), r.seedsDone(),
                r.seeds().size(), r.summary() == null ? null : r.summary().validationLoss(), r.error(),
                r.datasetManifest(), r.baseCheckpoint(), r.startedAt(), r.updatedAt());
    }
}
