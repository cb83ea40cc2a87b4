package dev.mole.orchestrator.datasets;

import java.time.Instant;

/** A finished dataset as the catalog stores it; {@code statisticsJson} is the curation statistics document. */
public record DatasetRecord(
        String datasetId,
        String name,
        String inputUri,
        String inputSha256,
        long inputBytes,
        String configJson,
        String manifestUri,
        String statisticsJson,
        long inputRows,
        long keptRows,
        long trainRows,
        long validationRows,
        long droppedRows,
        Instant createdAt) {}
