package dev.mole.evaluation;

import java.util.Map;
import java.util.Optional;

/**
 * Tasks whose own data is defective, so a failure there says nothing about the model (docs/evaluation-protocol.md,
 * "Known defects"). They are graded like every other task; a failure is labelled, never hidden or retried away.
 */
public final class KnownDefects {
    private static final Map<String, String> FLAKY = Map.of(
            "Go/95", "its canonical CheckDictCase looks only at the first keys of a map, and Go's map order is random, "
                    + "so even the canonical solution fails about 1 run in 4");

    private KnownDefects() {}

    /** Why a failure of this task may not be the program's fault; empty for a sound task. */
    public static Optional<String> flaky(String taskId) {
        return Optional.ofNullable(FLAKY.get(taskId));
    }
}
