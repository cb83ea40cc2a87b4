package dev.mole.console.internal;

import dev.mole.orchestrator.datasets.CurationRun;
import java.time.Instant;

/**
 * A curation run as the API shows it.
 *
 * @param fraction share of the input read in the current phase, 0..1, or -1 while the input's size is unknown
 */
public record RunView(
        String runId,
        String name,
        String inputUri,
        String status,
        String phase,
        long rowsRead,
        long bytesRead,
        Long totalBytes,
        double fraction,
        String datasetId,
        String error,
        Instant startedAt,
        Instant updatedAt) {

    static RunView of(CurationRun r) {
        return new RunView(r.runId(), r.name(), r.inputUri(), r.status(), r.phase(), r.rowsRead(), r.bytesRead(),
                r.totalBytes(), r.fraction(), r.datasetId(), r.error(), r.startedAt(), r.updatedAt());
    }
}
