package dev.mole.registry.client;

/** A refusal of the registry (its status and message) or a download that did not verify. */
public final class RegistryClientException extends RuntimeException {
    private final int status;

    public RegistryClientException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The HTTP status, or 0 for a failure on this side (a sha256 mismatch, an I/O error). */
    public int status() {
        return status;
    }
}
