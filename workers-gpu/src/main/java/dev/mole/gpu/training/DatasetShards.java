package dev.mole.gpu.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mole.gpu.model.CodeSpan;
import dev.mole.gpu.model.CuratedRecord;
import dev.mole.contracts.language.Language;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Reads the curated dataset's gzip JSONL shards from a local directory ({@code train-*.jsonl.gz},
 * {@code validation-*.jsonl.gz}, in name order, which is the curation's output order). Record format (dataset manifest
 * "recordFormat"): {@code {"id","question","answer","language","spans":[{"field","start","end","language"}]}}, offsets in
 * UTF-16 chars.
 */
public final class DatasetShards {

    public static final String TRAIN = "train";
    public static final String VALIDATION = "validation";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Both splits of a dataset. */
    public record Splits(List<TrainingRecord> train, List<TrainingRecord> validation) {}

    private DatasetShards() {}

    public static Splits read(Path dir) {
        return new Splits(readSplit(dir, TRAIN), readSplit(dir, VALIDATION));
    }

    public static List<TrainingRecord> readSplit(Path dir, String split) {
        List<Path> shards;
        try (Stream<Path> s = Files.list(dir)) {
            shards = s.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(split + "-") && n.endsWith(".jsonl.gz");
            }).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list dataset directory " + dir, e);
        }
        List<TrainingRecord> out = new ArrayList<>();
        for (Path p : shards) readShard(p, out);
        return out;
    }

    static void readShard(Path shard, List<TrainingRecord> out) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(shard), 1 << 16),
                StandardCharsets.UTF_8))) {
            int lineNo = 0;
            for (String line; (line = r.readLine()) != null; ) {
                lineNo++;
                if (line.isBlank()) continue;
                try {
                    out.add(parse(JSON.readTree(line)));
                } catch (IOException | RuntimeException e) {
                    throw new IllegalArgumentException(shard.getFileName() + " line " + lineNo + ": " + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read shard " + shard + ": " + e.getMessage(), e);
        }
    }

    static TrainingRecord parse(JsonNode n) {
        List<CodeSpan> spans = new ArrayList<>();
        for (JsonNode s : n.path("spans")) {
            spans.add(new CodeSpan(s.get("field").asText(), s.get("start").asInt(), s.get("end").asInt(), language(s.get("language").asText())));
        }
        return new TrainingRecord(n.get("id").asLong(), language(n.get("language").asText()),
                new CuratedRecord(n.get("question").asText(), n.get("answer").asText(), spans));
    }

    private static Language language(String tag) {
        return Language.fromTag(tag).orElseThrow(() -> new IllegalArgumentException("unknown language '" + tag + "'"));
    }
}
