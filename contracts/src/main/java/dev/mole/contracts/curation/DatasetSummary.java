package dev.mole.contracts.curation;

/**
 * The small result of a curation: where the dataset lives and its headline counts. The full statistics are in the
 * manifest object and the catalog, never in workflow history.
 *
 * @param reused true when an identical dataset already existed and no work was done
 */
public record DatasetSummary(
        String datasetId,
        String name,
        String manifestUri,
        long inputRows,
        long keptRows,
        long trainRows,
        long validationRows,
        long droppedRows,
        boolean reused) {}
