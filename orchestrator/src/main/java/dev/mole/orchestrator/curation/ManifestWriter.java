package dev.mole.orchestrator.curation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.mole.contracts.curation.CurationRequest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dataset manifest: canonical JSON (UTF-8, compact, object keys sorted at every level, arrays in their natural
 * order) so the same dataset always has the same manifest bytes and hash.
 */
public final class ManifestWriter {

    public static final int MANIFEST_VERSION = 1;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private ManifestWriter() {}

    public static byte[] manifestJson(String datasetId, CurationRequest request, CurationOutput output) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("manifestVersion", MANIFEST_VERSION);
        m.put("engineVersion", CurationEngine.VERSION);
        m.put("datasetId", datasetId);
        m.put("request", request);
        m.put("recordFormat", Map.of(
                "encoding", "gzip JSON Lines, one record per line, records in input order",
                "fields", "id (input row index), question, answer, language (main language), spans",
                "spans", "field (question|answer), start, end (UTF-16 char offsets into that field, end exclusive: "
                        + "from the first char after the fence tag through the closing fence), language"));
        m.put("shards", output.shards());
        m.put("statistics", output.statistics());
        try {
            // records become plain maps first, so ORDER_MAP_ENTRIES_BY_KEYS sorts their keys too
            Object plain = MAPPER.convertValue(m, Object.class);
            return MAPPER.writeValueAsBytes(plain);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("manifest is not serialisable", e);
        }
    }
}
