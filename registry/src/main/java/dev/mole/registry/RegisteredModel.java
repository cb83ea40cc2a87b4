package dev.mole.registry;

import java.time.Instant;

/**
 * A registered model: a name over one base checkpoint; every version's adapters were trained on that base.
 *
 * @param baseSha256   {@link dev.mole.contracts.storage.BaseModelIdentity} of the base
 * @param baseLocation s3:// folder of the base checkpoint
 */
public record RegisteredModel(String name, String baseSha256, String baseLocation, String description, String createdBy,
                              Instant createdAt, int latestVersion) {}
