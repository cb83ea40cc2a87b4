package dev.mole.orchestrator.workflows;

import io.temporal.failure.ApplicationFailure;

/** The sentence a person should read from a Temporal failure chain: the innermost application failure's message. */
public final class Failures {
    private Failures() {}

    public static String reason(Throwable failure) {
        String fallback = failure.getMessage();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ApplicationFailure app) {
                return app.getOriginalMessage();
            }
            if (t.getCause() == null && t.getMessage() != null) {
                fallback = t.getMessage();
            }
        }
        return fallback;
    }
}
