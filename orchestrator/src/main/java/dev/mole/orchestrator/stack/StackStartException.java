package dev.mole.orchestrator.stack;

/** A component of the local stack could not start; the message is meant for the person who ran the command. */
public final class StackStartException extends RuntimeException {
    public StackStartException(String message) {
        super(message);
    }

    public StackStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
