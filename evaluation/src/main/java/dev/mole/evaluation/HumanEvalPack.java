package dev.mole.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mole.contracts.config.Setting;
import dev.mole.contracts.language.Language;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The benchmark's 6 x 164 tasks. They ship inside this module (resources {@value #RESOURCE_DIR}, copied byte for byte
 * with their SOURCE.md), so a build needs nothing outside the repository; {@code -Dmole.humanevalpack.dir} or
 * {@code MOLE_HUMANEVALPACK_DIR} points {@link #load(Language)} at another copy of the same layout
 * ({@code humanevalpack_<humanEvalPackId>.jsonl}).
 */
public final class HumanEvalPack {
    public static final String DIR_PROPERTY = Setting.HUMANEVALPACK_DIR.key();
    static final String RESOURCE_DIR = "/dev/mole/evaluation/humanevalpack/";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Parsed once per source: the files are 3 MB and every caller wants the same immutable lists. */
    private static final Map<String, List<HumanEvalTask>> CACHE = new ConcurrentHashMap<>();

    private HumanEvalPack() {}

    /** The tasks of one language, in task-number order, from the override directory if one is set, else the classpath. */
    public static List<HumanEvalTask> load(Language language) {
        Path dir = overrideDir();
        if (dir != null) {
            return load(dir, language);
        }
        String resource = RESOURCE_DIR + fileName(language);
        return CACHE.computeIfAbsent("classpath:" + resource, k -> {
            InputStream in = HumanEvalPack.class.getResourceAsStream(resource);
            if (in == null) {
                throw new IllegalStateException("HumanEvalPack resource " + resource + " missing from the classpath");
            }
            return parse(in, language, "classpath:" + resource);
        });
    }

    /** The tasks of one language from a directory holding {@code humanevalpack_<id>.jsonl}. */
    public static List<HumanEvalTask> load(Path dir, Language language) {
        Path file = dir.resolve(fileName(language)).toAbsolutePath().normalize();
        return CACHE.computeIfAbsent(file.toString(), k -> {
            try {
                return parse(Files.newInputStream(file), language, file.toString());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read HumanEvalPack file " + file, e);
            }
        });
    }

    /** One task by language and number; fails naming the valid range. */
    public static HumanEvalTask task(Language language, int number) {
        List<HumanEvalTask> tasks = load(language);
        if (number < 0 || number >= tasks.size()) {
            throw new IllegalArgumentException("no task " + language.taskPrefix() + "/" + number + ": HumanEvalPack has "
                    + language.taskPrefix() + "/0 to " + language.taskPrefix() + "/" + (tasks.size() - 1));
        }
        return tasks.get(number);
    }

    /** One task by its id ({@code Go/10}, {@code JavaScript/3}; the prefix may be any name {@link Language#parse} takes). */
    public static HumanEvalTask task(String taskId) {
        int slash = taskId == null ? -1 : taskId.indexOf('/');
        if (slash <= 0) {
            throw new IllegalArgumentException("not a HumanEvalPack task id (expected e.g. Go/10): " + taskId);
        }
        Language language = Language.parseHumanEvalPack(taskId.substring(0, slash));
        int number;
        try {
            number = Integer.parseInt(taskId.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a HumanEvalPack task id (expected e.g. Go/10): " + taskId, e);
        }
        return task(language, number);
    }

    /** Where {@link #load(Language)} reads from, for logs and reports. */
    public static String source() {
        Path dir = overrideDir();
        return dir != null ? dir.toString() : "classpath:" + RESOURCE_DIR;
    }

    private static Path overrideDir() {
        String configured = Setting.HUMANEVALPACK_DIR.read().orElse(null);
        return configured == null || configured.isBlank() ? null : Path.of(configured);
    }

    private static String fileName(Language language) {
        return "humanevalpack_" + language.humanEvalPackId() + ".jsonl"; // fails for C and C#
    }

    private static List<HumanEvalTask> parse(InputStream stream, Language language, String origin) {
        List<HumanEvalTask> tasks = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n = JSON.readTree(line);
                HumanEvalTask t = new HumanEvalTask(language, text(n, "task_id"), text(n, "prompt"), text(n, "declaration"),
                        text(n, "canonical_solution"), text(n, "buggy_solution"), text(n, "test"), text(n, "import"),
                        text(n, "test_setup"), text(n, "entry_point"), text(n, "docstring"), text(n, "instruction"));
                // task(language, n) indexes the list: the files hold <Lang>/0 .. <Lang>/163 in order.
                if (t.number() != tasks.size()) {
                    throw new IllegalStateException(origin + ": expected task " + tasks.size() + ", found " + t.taskId());
                }
                tasks.add(t);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read HumanEvalPack data " + origin, e);
        }
        return List.copyOf(tasks);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }
}
