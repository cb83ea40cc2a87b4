package dev.mole.registry;

import dev.mole.contracts.storage.ObjectRef;
import java.util.Map;
import java.util.Objects;

/**
 * A request to register a trained output as a version of a model.
 *
 * @param manifest     the output's {@code manifest.json} (e.g. {@code s3://mole/runs/<runId>/seed-<n>/manifest.json});
 *                     every file it lists is read beside it
 * @param experimentId the experiment that trained it, or null
 * @param arm          the experiment's arm (method and settings, in the experiment's words), or null
 * @param tags         free-form metadata set on a newly created version (an existing version keeps its own)
 * @param actor        who registers (a token's name, or the platform)
 */
public record Registration(String model, ObjectRef manifest, String experimentId, String arm, Map<String, String> tags,
                           String actor) {
    public Registration {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(actor, "actor");
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }
}
