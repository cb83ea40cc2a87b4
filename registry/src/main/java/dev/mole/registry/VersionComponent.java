package dev.mole.registry;

import dev.mole.contracts.language.Language;
import dev.mole.contracts.training.AdapterManifest.ComponentKind;

/**
 * One stored file of a version: an {@link dev.mole.contracts.training.AdapterManifest.Component} with its size, kept
 * in the object store under its own sha256.
 *
 * @param language set for {@link ComponentKind#EXPERT} only
 */
public record VersionComponent(String file, ComponentKind kind, Language language, String adapter, int rank,
                               String sha256, long size) {}
