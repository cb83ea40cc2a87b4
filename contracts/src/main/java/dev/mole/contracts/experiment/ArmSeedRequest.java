package dev.mole.contracts.experiment;

import dev.mole.contracts.storage.ObjectRef;
import java.util.Objects;

/**
 * One arm under one seed, as its own child workflow: train (unless the arm trains nothing), register the adapters,
 * evaluate. Everything by reference.
 *
 * @param svdFactors the SVD stage's manifest for the arm's k, or null when the arm starts from no PiSSA factors
 */
public record ArmSeedRequest(String experimentId, ExperimentArm arm, long seed, ObjectRef datasetManifest,
        ObjectRef baseCheckpoint, String svd, ObjectRef svdFactors, ExperimentEvaluation evaluation) {
    public ArmSeedRequest {
        Objects.requireNonNull(experimentId, "experimentId");
        Objects.requireNonNull(arm, "arm");
        Objects.requireNonNull(datasetManifest, "datasetManifest");
        Objects.requireNonNull(baseCheckpoint, "baseCheckpoint");
        Objects.requireNonNull(evaluation, "evaluation");
    }

    /** Where this arm and seed's checkpoints and trained outputs live: fixed by the experiment, so a rerun resumes them. */
    public ObjectRef output() {
        return new ObjectRef(datasetManifest.bucket(), "experiments/" + experimentId + "/" + arm.name() + "/seed-" + seed);
    }
}
