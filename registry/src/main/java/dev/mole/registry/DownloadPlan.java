package dev.mole.registry;

import dev.mole.contracts.language.Language;
import dev.mole.contracts.training.AdapterManifest.ComponentKind;
import java.time.Instant;
import java.util.List;

/**
 * Exactly the objects a client needs for a version and a set of languages: the manifest (kind null), the residual
 * factors, shared and nl adapters and the chosen experts, each with sha256, size and a presigned URL.
 *
 * @param baseLocation where the base checkpoint lives (the client brings or fetches it; its identity is baseSha256)
 */
public record DownloadPlan(String model, int version, String manifestSha256, String baseSha256, String baseLocation,
                           List<Language> languages, Instant expiresAt, List<Item> items) {

    /** @param name the file's name in the version (what the manifest calls it) */
    public record Item(String name, ComponentKind kind, Language language, String sha256, long size, String url) {}
}
