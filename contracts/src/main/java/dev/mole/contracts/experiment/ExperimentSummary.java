package dev.mole.contracts.experiment;

import dev.mole.contracts.storage.ObjectRef;
import java.util.List;

/** The result of an experiment's workflow: every arm and seed that finished and every one that failed. */
public record ExperimentSummary(String experimentId, ExperimentStatus status, ObjectRef datasetManifest,
        List<ArmSeedResult> results, List<ArmSeedFailure> failures) {
    public ExperimentSummary {
        results = results == null ? List.of() : List.copyOf(results);
        failures = failures == null ? List.of() : List.copyOf(failures);
    }
}
