package dev.mole.contracts.curation;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.Optional;

/** Steps of {@link CurationWorkflow}, run on the CPU task queue. */
@ActivityInterface
public interface CurationActivities {
    /** Reads the whole input once to fix its content hash; the dataset id follows from it and the request. */
    @ActivityMethod
    InputFingerprint fingerprint(CurationRequest request);

    /** A finished dataset with that id, if one exists: then no work is repeated. */
    @ActivityMethod
    Optional<DatasetSummary> findDataset(String datasetId);

    /** Curates and publishes the dataset; resumable from its own heartbeats after a worker dies. */
    @ActivityMethod
    DatasetSummary curate(CurationRequest request, InputFingerprint fingerprint, String runId);

    @ActivityMethod
    void recordRunStarted(String runId, CurationRequest request);

    @ActivityMethod
    void recordRunFinished(String runId, String datasetId, String error);

    record InputFingerprint(String datasetId, String inputSha256, long inputBytes, String format) {}
}
