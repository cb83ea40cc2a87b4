package dev.mole.orchestrator.datasets;

import java.time.Instant;

/** A curation workflow as the console follows it. */
public record CurationRun(
        String runId,
        String name,
        String inputUri,
        String status,
        String phase,
        long rowsRead,
        long bytesRead,
        Long totalBytes,
        String datasetId,
        String error,
        Instant startedAt,
        Instant updatedAt) {

    /** Share of the input read in the current phase, 0..1, or -1 when the size is unknown. */
    public double fraction() {
        if ("COMPLETED".equals(status)) {
            return 1.0;
        }
        if (totalBytes == null || totalBytes <= 0) {
            return -1;
        }
        return Math.min(1.0, (double) bytesRead / totalBytes);
    }
}
