package dev.mole.orchestrator.curation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/** Test helpers: in-memory row sources, a sink that keeps shard bytes, a shard reader. */
final class TestRows {
    static final ObjectMapper JSON = new ObjectMapper();

    private TestRows() {}

    /** Rows from {question, answer} pairs, indexed 0.. in order. */
    static RowSource of(List<String[]> pairs) {
        Iterator<String[]> it = pairs.iterator();
        return new RowSource() {
            long index;

            @Override
            public Row next() {
                if (!it.hasNext()) {
                    return null;
                }
                String[] p = it.next();
                return Row.readable(index++, p[0], p[1]);
            }

            @Override
            public long bytesRead() {
                return 0;
            }

            @Override
            public void close() {}
        };
    }

    /** Keeps every accepted shard's bytes, in order. */
    static final class MemorySink implements ShardSink {
        final Map<String, byte[]> shards = new LinkedHashMap<>();

        @Override
        public void accept(ShardFile shard) throws IOException {
            shards.put(shard.name(), Files.readAllBytes(shard.file()));
        }
    }

    static List<JsonNode> records(byte[] gzip) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gzip));
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }

    static List<JsonNode> records(Map<String, byte[]> shards, String split) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : shards.entrySet()) {
            if (e.getKey().startsWith(split + "-")) {
                out.addAll(records(e.getValue()));
            }
        }
        return out;
    }

    static Path writeLines(Path file, String... lines) throws IOException {
        return Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }
}
