package dev.mole.registry;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An immutable version: content-addressed by the sha256 of its adapter manifest. Only its tags, metrics, aliases and
 * deprecation flag change after it is registered; its files and manifest never do.
 *
 * @param metrics evaluation results, e.g. {@code pass1.synthesis} (mean over languages) or {@code pass1.synthesis.python}
 */
public record ModelVersion(String model, int number, String manifestSha256, String method, Lineage lineage,
                           List<VersionComponent> components, Map<String, String> tags, Map<String, Double> metrics,
                           List<String> aliases, boolean deprecated, String deprecation, String createdBy, Instant createdAt) {

    /** A strong validator for HTTP caches: what a version answers changes only with its mutable parts. */
    public String etag() {
        return dev.mole.contracts.storage.BaseModelIdentity.sha256((manifestSha256 + tags + metrics + aliases + deprecated
                + deprecation).getBytes(java.nio.charset.StandardCharsets.UTF_8)).substring(0, 32);
    }
}
