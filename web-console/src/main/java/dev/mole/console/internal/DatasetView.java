package dev.mole.console.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A dataset as the API shows it: the catalog's record with its config and statistics parsed, so clients read them as
 * JSON objects rather than strings holding JSON. {@code statistics} has the shape of
 * {@link dev.mole.orchestrator.curation.CurationStatistics}.
 */
public record DatasetView(
        String datasetId,
        String name,
        String inputUri,
        String inputSha256,
        long inputBytes,
        String manifestUri,
        long inputRows,
        long keptRows,
        long trainRows,
        long validationRows,
        long droppedRows,
        Instant createdAt,
        JsonNode config,
        JsonNode statistics) {}
