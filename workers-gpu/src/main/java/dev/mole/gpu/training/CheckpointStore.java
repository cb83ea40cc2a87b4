package dev.mole.gpu.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mole.gpu.training.internal.Sha256;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where training checkpoints go. A checkpoint is a set of named parts plus a small commit marker
 * ({@value #MARKER}: the step and each part's sha256 and size) written LAST; a checkpoint whose marker is missing, unreadable
 * or disagrees with any part is never returned by {@link #latest}, so a crash mid-write can only lose the newest checkpoint.
 */
public interface CheckpointStore {

    String MARKER = "checkpoint.json";

    /** A complete checkpoint. */
    record Checkpoint(long step, Map<String, byte[]> parts) {}

    /** Writes every part of the checkpoint of {@code step}, then commits it. */
    void save(long step, Map<String, byte[]> parts);

    /** The complete checkpoint with the highest step, if any. */
    Optional<Checkpoint> latest();

    /** The marker's bytes for these parts. */
    static byte[] marker(long step, Map<String, byte[]> parts) {
        ObjectMapper om = new ObjectMapper();
        ObjectNode m = om.createObjectNode();
        m.put("step", step);
        ObjectNode ps = m.putObject("parts");
        for (var e : parts.entrySet()) {
            if (e.getKey().equals(MARKER) || e.getKey().contains("/")) throw new IllegalArgumentException("bad part name " + e.getKey());
            ps.putObject(e.getKey()).put("sha256", Sha256.of(e.getValue())).put("bytes", e.getValue().length);
        }
        return m.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Parsed marker: step and expected sha256 per part; empty when the marker is not valid JSON of that form. */
    static Optional<Map.Entry<Long, Map<String, String>>> parseMarker(byte[] marker) {
        try {
            JsonNode n = new ObjectMapper().readTree(marker);
            if (n == null || !n.has("step") || !n.path("parts").isObject()) return Optional.empty();
            Map<String, String> sha = new LinkedHashMap<>();
            n.get("parts").fields().forEachRemaining(e -> sha.put(e.getKey(), e.getValue().path("sha256").asText()));
            return Optional.of(Map.entry(n.get("step").asLong(), sha));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** True when every part named by the marker is present with the marker's sha256. */
    static boolean matches(Map<String, String> expected, Map<String, byte[]> parts) {
        if (!expected.keySet().equals(parts.keySet())) return false;
        for (var e : expected.entrySet()) if (!Sha256.of(parts.get(e.getKey())).equals(e.getValue())) return false;
        return true;
    }

    static String stepName(long step) {
        return String.format("step-%012d", step);
    }
}
