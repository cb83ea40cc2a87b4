package dev.mole.registry.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mole.registry.RegistryException;
import java.io.IOException;

/** What of a base's config.json decides adapter shapes: the MLP projections of every layer. */
record BaseShape(int layers, int hidden, int intermediate) {
    static final String[] PROJECTIONS = {"gate_proj", "up_proj", "down_proj"};

    static BaseShape parse(byte[] configJson, String where) {
        try {
            JsonNode n = new ObjectMapper().readTree(configJson);
            int layers = n.path("num_hidden_layers").asInt(0), hidden = n.path("hidden_size").asInt(0),
                    inter = n.path("intermediate_size").asInt(0);
            if (layers <= 0 || hidden <= 0 || inter <= 0) {
                throw RegistryException.invalid(where + " lacks num_hidden_layers, hidden_size or intermediate_size");
            }
            return new BaseShape(layers, hidden, inter);
        } catch (IOException e) {
            throw RegistryException.invalid(where + " is not JSON: " + e.getMessage());
        }
    }

    /** [in, out] of a projection, as the base's weights are laid out (Hugging Face: weight [out, in]). */
    int[] inOut(String projection) {
        return projection.equals("down_proj") ? new int[] {intermediate, hidden} : new int[] {hidden, intermediate};
    }
}
