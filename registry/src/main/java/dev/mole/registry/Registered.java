package dev.mole.registry;

/** The outcome of a registration: the version, and whether this call created it or found identical content. */
public record Registered(ModelVersion version, boolean created) {}
