package dev.mole.sandbox.internal;

import java.time.Duration;

/**
 * What one sandboxed phase did, before any verdict is drawn.
 *
 * @param exitCode exit status (128 + signal when killed by a signal), -1 when killed by us or never started
 * @param launchError set when the process could not be started at all
 */
public record ProcessOutcome(
        int exitCode, boolean timedOut, boolean outputLimitHit, boolean oomKilled, boolean processLimitHit,
        String stdout, String stderr, long outputBytes, Duration elapsed, String launchError) {

    public boolean launched() {
        return launchError == null;
    }
}
