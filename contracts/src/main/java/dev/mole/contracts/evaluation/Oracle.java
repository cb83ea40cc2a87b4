package dev.mole.contracts.evaluation;

import java.util.Locale;

/**
 * Instead of a model: the benchmark's own canonical or buggy solutions, graded through the same extraction and
 * sandbox path ({@code --oracle canonical} must score 100%, {@code --oracle buggy} 0%).
 */
public enum Oracle {
    NONE, CANONICAL, BUGGY;

    public static Oracle parse(String name) {
        String n = name == null ? "" : name.trim().toUpperCase(Locale.ROOT);
        for (Oracle m : values()) {
            if (m.name().equals(n)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown oracle '" + name + "' (expected none, canonical or buggy)");
    }
}
