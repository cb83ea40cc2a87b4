package dev.mole.sandbox;

import dev.mole.contracts.language.Language;
import java.util.List;

/**
 * Whether one language can run here, checked by running its toolchain inside the sandbox at start.
 *
 * @param version first line of the version command, or why it failed
 * @param warnings what is missing for some tasks (e.g. Boost for CPP/22), with the package that brings it
 */
public record ToolchainStatus(Language language, boolean available, String version, List<String> warnings) {
    public ToolchainStatus {
        warnings = List.copyOf(warnings);
    }
}
