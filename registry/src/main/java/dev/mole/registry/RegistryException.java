package dev.mole.registry;

/**
 * Why the registry refused: {@link Reason} decides the HTTP status the API answers with (404, 409, 400), and the
 * message says what was wrong in words a user can act on.
 */
public final class RegistryException extends RuntimeException {
    public enum Reason { NOT_FOUND, CONFLICT, INVALID }

    private final Reason reason;

    public RegistryException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    public static RegistryException notFound(String message) {
        return new RegistryException(Reason.NOT_FOUND, message);
    }

    public static RegistryException conflict(String message) {
        return new RegistryException(Reason.CONFLICT, message);
    }

    public static RegistryException invalid(String message) {
        return new RegistryException(Reason.INVALID, message);
    }
}
