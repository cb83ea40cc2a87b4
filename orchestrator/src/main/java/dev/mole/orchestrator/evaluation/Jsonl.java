package dev.mole.orchestrator.evaluation;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mole.contracts.storage.BlobStore;
import dev.mole.contracts.storage.ObjectRef;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Records as JSONL objects: each written whole with one put, so a reader never sees half an object. */
final class Jsonl {
    static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private Jsonl() {}

    static <T> List<T> read(BlobStore store, ObjectRef ref, Class<T> type) {
        List<T> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(store.open(ref), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.isBlank()) out.add(JSON.readValue(line, type));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + ref + ": " + e.getMessage(), e);
        }
        return out;
    }

    static void write(BlobStore store, ObjectRef ref, List<?> records) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            for (Object o : records) {
                b.write(JSON.writeValueAsBytes(o));
                b.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        store.put(ref, b.toByteArray(), "application/x-ndjson");
    }
}
