package dev.mole.registry;

import java.time.Instant;

/** One entry of an alias's audit log: who moved it, when, from which version (null: created) to which. */
public record AliasMove(String model, String alias, Integer fromVersion, int toVersion, String actor, Instant at) {}
