package dev.mole.console.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mole.contracts.evaluation.SampleRecord;
import dev.mole.contracts.evaluation.TaskKind;
import dev.mole.contracts.language.Language;
import dev.mole.contracts.sandbox.SandboxVerdict;
import dev.mole.contracts.storage.BlobStore;
import dev.mole.contracts.storage.ObjectRef;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An evaluation's per-sample JSONL ({@link SampleRecord} per line), read line by line from the object store: a full
 * evaluation holds tens of thousands of samples, each with its prompt, generation and per-token routes, so a page is
 * found by streaming past the others and holding only the page. Each line is first read as its few list fields; the
 * whole record is read only for the sample asked for.
 */
public class EvaluationSamples {
    static final int MAX_PAGE = 500;

    /** Lenient: the records may gain fields before the console knows them. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final BlobStore store;

    public EvaluationSamples(BlobStore store) {
        this.store = store;
    }

    /** What the list shows of a sample: no prompt, generation or program. */
    public record SampleRow(String sampleId, String kind, String language, String source, String routing,
            String taskId, int sampleIndex, String stop, String verdict, String reason) {

        static SampleRow of(SampleHead h) {
            return new SampleRow(h.sampleId(), h.kind() == null ? null : h.kind().name(), id(h.language()),
                    id(h.source()), h.routing(), h.taskId(), h.sampleIndex(), h.stop(),
                    h.verdict() == null ? null : h.verdict().name(), h.reason());
        }
    }

    /** @param total samples that match the filter, over the whole file */
    public record SamplePage(String evaluationId, int total, int offset, int limit, List<SampleRow> samples) {}

    /** One sample whole, languages by id. */
    public record SampleView(String sampleId, String kind, String language, String source, String routing,
            String taskId, int sampleIndex, String instruction, String responsePrefix, String generation,
            String completion, String stop, List<String> pieces, List<String> routes, String program, String verdict,
            String reason) {

        static SampleView of(SampleRecord r) {
            return new SampleView(r.sampleId(), r.kind() == null ? null : r.kind().name(), id(r.language()),
                    id(r.source()), r.routing(), r.taskId(), r.sampleIndex(), r.instruction(), r.responsePrefix(),
                    r.generation(), r.completion(), r.stop(), r.pieces() == null ? List.of() : r.pieces(),
                    r.routes() == null ? List.of() : r.routes(), r.program(),
                    r.verdict() == null ? null : r.verdict().name(), r.reason());
        }
    }

    /** The fields a filter and a list row need; Jackson skips the rest of the line without building it. */
    record SampleHead(String sampleId, TaskKind kind, Language language, Language source, String routing,
            String taskId, int sampleIndex, String stop, SandboxVerdict verdict, String reason) {}

    /**
     * Which samples to list; a null field matches everything.
     *
     * @param verdict    a verdict, or {@code noVerdict} for explain's ungraded describe steps
     */
    public record Filter(TaskKind kind, Language language, Language source, String routing, SandboxVerdict verdict,
            boolean noVerdict) {

        /** Parses the query parameters; each refusal names its parameter. */
        static Filter parse(String kind, String language, String source, String routing, String verdict) {
            SandboxVerdict v = null;
            boolean none = false;
            if (!blank(verdict)) {
                String n = verdict.trim().toUpperCase(Locale.ROOT);
                if (n.equals("NONE")) {
                    none = true;
                } else {
                    try {
                        v = SandboxVerdict.valueOf(n);
                    } catch (IllegalArgumentException e) {
                        throw ApiException.badRequest("verdict must be one of "
                                + Arrays.toString(SandboxVerdict.values()) + " or NONE; got '" + verdict + "'");
                    }
                }
            }
            return new Filter(blank(kind) ? null : kind(kind), language("language", language),
                    language("source", source), blank(routing) ? null : routing(routing), v, none);
        }

        boolean matches(SampleHead h) {
            return (kind == null || kind == h.kind())
                    && (language == null || language == h.language())
                    && (source == null || source == h.source())
                    && (routing == null || routing.equals(h.routing()))
                    && (verdict == null || verdict == h.verdict())
                    && (!noVerdict || h.verdict() == null);
        }

        /** Kinds by name (EXPLAIN_DESCRIBE included) or as the form spells them (explain, translate). */
        private static TaskKind kind(String s) {
            String n = s.trim().toUpperCase(Locale.ROOT);
            for (TaskKind k : TaskKind.values()) {
                if (k.name().equals(n)) {
                    return k;
                }
            }
            try {
                return TaskKind.parseRequested(s);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("kind must be one of " + Arrays.toString(TaskKind.values()) + "; got '"
                        + s + "'");
            }
        }

        private static Language language(String parameter, String s) {
            if (blank(s)) {
                return null;
            }
            try {
                return Language.parse(s);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(parameter + ": " + e.getMessage());
            }
        }

        /** auto, manual, forced:EXPERT (any spelling of the expert) or forced:nl, as {@code Routing.label()} writes it. */
        private static String routing(String s) {
            String n = s.trim().toLowerCase(Locale.ROOT);
            if (n.equals("auto") || n.equals("manual") || n.equals("forced:nl")) {
                return n;
            }
            if (n.startsWith("forced:")) {
                try {
                    return "forced:" + Language.parse(n.substring("forced:".length())).id();
                } catch (IllegalArgumentException e) {
                    throw ApiException.badRequest("routing: " + e.getMessage());
                }
            }
            throw ApiException.badRequest("routing must be auto, manual, forced:nl or forced:LANGUAGE; got '" + s + "'");
        }
    }

    SamplePage page(String evaluationId, ObjectRef samples, Filter filter, int offset, int limit) {
        List<SampleRow> rows = new ArrayList<>(Math.min(limit, 64));
        int[] total = {0};
        forEachLine(samples, line -> {
            SampleHead h = JSON.readValue(line, SampleHead.class);
            if (filter.matches(h)) {
                if (total[0] >= offset && rows.size() < limit) {
                    rows.add(SampleRow.of(h));
                }
                total[0]++;
            }
            return true;
        });
        return new SamplePage(evaluationId, total[0], offset, limit, rows);
    }

    Optional<SampleView> one(ObjectRef samples, String sampleId) {
        String quoted;
        try {
            quoted = JSON.writeValueAsString(sampleId);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SampleView[] found = {null};
        forEachLine(samples, line -> {
            if (!line.contains(quoted)) {
                return true; // written by Jackson with default escaping, as here: a line without it is not the sample
            }
            if (!sampleId.equals(JSON.readValue(line, SampleHead.class).sampleId())) {
                return true;
            }
            found[0] = SampleView.of(JSON.readValue(line, SampleRecord.class));
            return false;
        });
        return Optional.ofNullable(found[0]);
    }

    private interface LineVisitor {
        /** @return false to stop reading */
        boolean visit(String line) throws IOException;
    }

    private void forEachLine(ObjectRef ref, LineVisitor visitor) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(store.open(ref), StandardCharsets.UTF_8),
                1 << 16)) {
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.isBlank() && !visitor.visit(line)) {
                    return;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the samples at " + ref + ": " + e.getMessage(), e);
        }
    }

    private static String id(Language l) {
        return l == null ? null : l.id();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
