package dev.mole.sandbox;

import dev.mole.contracts.language.Language;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads {@code humanevalpack_<lang>.jsonl} files (the layout of ../shared/data/humanevalpack). */
public final class HumanEvalPack {
    private static final ObjectMapper JSON = new ObjectMapper();

    private HumanEvalPack() {}

    public static List<HumanEvalTask> load(Path dataDir, Language language) {
        Path file = dataDir.resolve("humanevalpack_" + language.humanEvalPackId() + ".jsonl");
        List<HumanEvalTask> tasks = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n = JSON.readTree(line);
                tasks.add(new HumanEvalTask(language, text(n, "task_id"), text(n, "prompt"), text(n, "declaration"),
                        text(n, "canonical_solution"), text(n, "buggy_solution"), text(n, "test"),
                        text(n, "import"), text(n, "test_setup")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read HumanEvalPack file " + file, e);
        }
        return tasks;
    }

    /** The data directory: {@code -Dmole.humanevalpack.dir}, {@code MOLE_HUMANEVALPACK_DIR}, or ../shared/data/humanevalpack found upwards. */
    public static Path locateDataDir() {
        String configured = System.getProperty("mole.humanevalpack.dir", System.getenv("MOLE_HUMANEVALPACK_DIR"));
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            for (Path candidate : List.of(p.resolve("shared/data/humanevalpack"), p.resolve("../shared/data/humanevalpack"))) {
                if (Files.isRegularFile(candidate.resolve("humanevalpack_python.jsonl"))) {
                    return candidate.normalize();
                }
            }
        }
        throw new IllegalStateException("HumanEvalPack data not found: set -Dmole.humanevalpack.dir or MOLE_HUMANEVALPACK_DIR");
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }
}
