package dev.mole.orchestrator;

import dev.mole.contracts.config.PlatformSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Settings for an isolated stack: its own home, free loopback ports (or, with -P containers, its own database and bucket). */
public final class TestStacks {
    private TestStacks() {}

    /**
     * Curation may read local inputs in {@code home}'s parent, where the tests write them. With {@code -P containers}
     * the same tests run against PostgreSQL, MinIO and Temporal containers instead ({@link ContainerStack}).
     */
    public static PlatformSettings isolated(Path home) {
        return ContainerStack.requested() ? ContainerStack.settings(home) : embedded(home);
    }

    /** Always the embedded services: for the tests of the embedded stack itself. */
    public static PlatformSettings embedded(Path home) {
        return PlatformSettings.from(Map.of(), k -> null).withHome(home).withPorts(0, 0, 0, 0)
                .withCurationInputRoots(List.of(home.toAbsolutePath().getParent()));
    }
}
