package dev.mole.orchestrator.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mole.contracts.evaluation.EvaluationRequest;
import dev.mole.contracts.evaluation.Oracle;
import dev.mole.contracts.storage.BaseModelIdentity;
import dev.mole.contracts.storage.BlobStore;
import dev.mole.contracts.storage.ObjectRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;

/**
 * What is evaluated, checked before any GPU work: the base folder exists and has a config.json, the adapters' manifest
 * is a trained-model manifest whose every file exists with the recorded size class, and the base is the one the
 * adapters were trained on (their recorded base hash). Also gives the model's content identity for the evaluation id.
 */
final class EvaluationModels {
    static final String TRAINED_FORMAT = "mole-trained/1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private EvaluationModels() {}

    /** The model's content identity, after checking it is whole. Fails with IllegalArgumentException naming the problem. */
    static String identity(BlobStore store, EvaluationRequest r) {
        if (r.oracle() != Oracle.NONE) {
            return "oracle:" + r.oracle().name().toLowerCase(java.util.Locale.ROOT);
        }
        String baseHash = baseHash(store, r.baseCheckpoint());
        if (r.adapters() == null) {
            return "base:" + baseHash;
        }
        byte[] manifestBytes;
        if (!store.exists(r.adapters())) {
            throw new IllegalArgumentException("no adapter manifest at " + r.adapters() + " (give a trained output's manifest.json)");
        }
        manifestBytes = store.read(r.adapters());
        JsonNode m;
        try {
            m = JSON.readTree(manifestBytes);
        } catch (IOException e) {
            throw new IllegalArgumentException("the adapter manifest " + r.adapters() + " is not JSON: " + e.getMessage());
        }
        if (!TRAINED_FORMAT.equals(m.path("format").asText())) {
            throw new IllegalArgumentException(r.adapters() + " is not a trained-model manifest (format " + m.path("format").asText("none") + ")");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = m.path("files").fields(); it.hasNext(); ) {
            String name = it.next().getKey();
            if (!store.exists(r.adapters().sibling(name))) {
                throw new IllegalArgumentException("the adapters at " + r.adapters() + " miss " + name + ", which their manifest lists");
            }
        }
        String method = m.path("method").asText();
        if (!method.equals("FULL_FT")) {
            String recorded = m.path("baseModelSha256").asText("");
            if (!recorded.equals(baseHash)) {
                throw new IllegalArgumentException("the base model at " + r.baseCheckpoint() + " (sha256 " + baseHash.substring(0, 12)
                        + ") is not the one the adapters were trained on (" + (recorded.isEmpty() ? "none recorded" : recorded.substring(0, Math.min(12, recorded.length()))) + ")");
            }
        }
        return "adapters:" + BaseModelIdentity.sha256(manifestBytes);
    }

    /** The trained method named in the adapter manifest (NO_FT for the base alone or an oracle). */
    static String method(BlobStore store, EvaluationRequest r) {
        if (r.adapters() == null) {
            return "NO_FT";
        }
        try {
            return JSON.readTree(store.read(r.adapters())).path("method").asText("NO_FT");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String baseHash(BlobStore store, ObjectRef folder) {
        return BaseModelIdentity.ofStoredFolder(store, folder);
    }
}
