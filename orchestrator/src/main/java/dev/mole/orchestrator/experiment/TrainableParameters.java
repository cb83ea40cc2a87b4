package dev.mole.orchestrator.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mole.contracts.storage.BlobStore;
import dev.mole.contracts.storage.ObjectRef;
import java.io.IOException;
import java.util.Optional;

/**
 * Trainable parameters of a trained output: every adapter is a LoRA pair on each MLP projection of every layer (gate and
 * up: hidden -> intermediate, down: intermediate -> hidden), so an adapter of rank r holds 3 r (hidden + intermediate)
 * per layer. Read from the output manifest's adapter list (its {@code rank} fields; the manifest's record type belongs
 * to the trained-output contract) and the base's config.json. Unknown (empty) for outputs without adapters (Full-FT).
 */
final class TrainableParameters {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TrainableParameters() {}

    static Optional<Long> of(BlobStore store, ObjectRef outputManifest, ObjectRef base) {
        try {
            JsonNode manifest = JSON.readTree(store.read(outputManifest));
            JsonNode adapters = manifest.path("adapters");
            if (!adapters.isArray() || adapters.isEmpty()) return Optional.empty();
            JsonNode config = JSON.readTree(store.read(base.child("config.json")));
            long hidden = config.path("hidden_size").asLong(), intermediate = config.path("intermediate_size").asLong();
            long layers = config.path("num_hidden_layers").asLong();
            long ranks = 0;
            for (JsonNode a : adapters) ranks += a.path("rank").asLong();
            return Optional.of(layers * 3 * ranks * (hidden + intermediate));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // a count the table can leave blank, not a reason to fail the comparison
        }
    }
}
