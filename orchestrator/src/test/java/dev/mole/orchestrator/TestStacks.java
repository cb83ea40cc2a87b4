package dev.mole.orchestrator;

import dev.mole.contracts.config.PlatformSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Settings for an isolated embedded stack: its own home, free loopback ports. */
public final class TestStacks {
    private TestStacks() {}

    /** Curation may read local inputs in {@code home}'s parent, where the tests write them. */
    public static PlatformSettings isolated(Path home) {
        return PlatformSettings.from(Map.of(), k -> null).withHome(home).withPorts(0, 0, 0, 0)
                .withCurationInputRoots(List.of(home.toAbsolutePath().getParent()));
    }
}
