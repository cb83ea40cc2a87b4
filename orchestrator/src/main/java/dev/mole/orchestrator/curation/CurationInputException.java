package dev.mole.orchestrator.curation;

/**
 * The input as a whole cannot be curated (missing file, no rows, unknown format, unreadable Parquet, absent field).
 * The message is written for the person who submitted the request. Single bad rows never throw this: they are counted.
 */
public class CurationInputException extends RuntimeException {
    public CurationInputException(String message) {
        super(message);
    }

    public CurationInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
