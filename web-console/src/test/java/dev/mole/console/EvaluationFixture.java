package dev.mole.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mole.contracts.evaluation.EvaluationRequest;
import dev.mole.contracts.evaluation.LanguagePair;
import dev.mole.contracts.evaluation.Routing;
import dev.mole.contracts.evaluation.SampleRecord;
import dev.mole.contracts.evaluation.Score;
import dev.mole.contracts.evaluation.TaskKind;
import dev.mole.contracts.language.Language;
import dev.mole.contracts.sandbox.SandboxVerdict;
import dev.mole.contracts.storage.BaseModelIdentity;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.orchestrator.evaluation.EvaluationCatalog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluations recorded the way the evaluation workflow records them (catalog rows through {@link EvaluationCatalog},
 * the per-sample JSONL in the object store), without a GPU or sandbox: a completed MoLE evaluation with every task kind,
 * all 30 translation pairs and the forced-routing matrix, whose pass counts are chosen so that every column has one
 * best language; and a failed and a running one beside it.
 *
 * <p>Ten tasks per cell, so Pass@1 is in tenths: synthesis solves {@code 2 + i} tasks in the i-th HumanEvalPack
 * language (Rust best), explain {@code 7 - i} (C++ best), translation {@code (2s + 3t) % 11} capped at 10, and the
 * forced matrix 8 on the diagonal, 5 with NL only, fewer elsewhere.
 */
final class EvaluationFixture {
    static final int TASKS = 10;
    static final List<Language> HEP = Language.humanEvalPack();
    static final ObjectMapper JSON = new ObjectMapper();

    final String completedId;
    final String failedId;
    final String runningId;
    final EvaluationRequest request;
    final List<SampleRecord> samples;
    final List<Score> scores;
    final ObjectRef samplesRef;

    private EvaluationFixture(String completedId, String failedId, String runningId, EvaluationRequest request,
            List<SampleRecord> samples, List<Score> scores, ObjectRef samplesRef) {
        this.completedId = completedId;
        this.failedId = failedId;
        this.runningId = runningId;
        this.request = request;
        this.samples = samples;
        this.scores = scores;
        this.samplesRef = samplesRef;
    }

    static final String FAILURE = "generation chunk 3 failed: CUDA out of memory";

    /** Records the three evaluations, the completed one first (so it is the oldest), on {@code stack}'s platform. */
    static EvaluationFixture seed(ConsoleStack stack) {
        var platform = stack.local.platform();
        EvaluationCatalog catalog = new EvaluationCatalog(platform.dataSource());
        ObjectRef base = new ObjectRef(platform.bucket(), "models/seeded-base");
        ObjectRef adapters = new ObjectRef(platform.bucket(), "runs/finetune-seeded/seed-1/manifest.json");
        EvaluationRequest request = new EvaluationRequest("seeded mole", base, adapters,
                List.of(TaskKind.SYNTHESIS, TaskKind.EXPLAIN_SYNTHESIS, TaskKind.TRANSLATION), HEP, LanguagePair.all(),
                TASKS, Routing.Mode.AUTOMATED, Routing.Mode.MANUAL, true, null, 0, null);
        String completed = id("completed");
        List<SampleRecord> samples = samples();
        List<Score> scores = scores(samples);
        ObjectRef ref = new ObjectRef(platform.bucket(), "evaluations/" + completed + "/samples.jsonl");
        catalog.started(completed, request);
        platform.blobStore().put(ref, jsonl(samples), "application/x-ndjson");
        catalog.completed(completed, ref, scores);

        String failed = id("failed");
        catalog.started(failed, new EvaluationRequest("failed one", base, null, List.of(TaskKind.SYNTHESIS),
                List.of(Language.PYTHON), List.of(), 5, null, null, false, null, 0, null));
        catalog.failed(failed, FAILURE);
        String running = id("running");
        catalog.started(running, new EvaluationRequest("running one", base, adapters, List.of(TaskKind.TRANSLATION),
                List.of(), List.of(LanguagePair.parse("python-rust")), 3, null, null, false, null, 0, null));
        return new EvaluationFixture(completed, failed, running, request, samples, scores, ref);
    }

    static String id(String name) {
        return BaseModelIdentity.sha256(("fixture " + name).getBytes(StandardCharsets.UTF_8));
    }

    static int synthesisPassed(Language l) {
        return 2 + HEP.indexOf(l);
    }

    static int explainPassed(Language l) {
        return 7 - HEP.indexOf(l);
    }

    static int translationPassed(Language source, Language target) {
        return Math.min(TASKS, (2 * HEP.indexOf(source) + 3 * HEP.indexOf(target)) % 11);
    }

    /** @param expert null for NL only */
    static int forcedPassed(Language row, Language expert) {
        if (expert == row) {
            return 8;
        }
        return expert == null ? 5 : (row.ordinal() + expert.ordinal()) % 4;
    }

    /** The samples in the order the stage writes them: per language its kinds and forced routes, then translation. */
    static List<SampleRecord> samples() {
        List<SampleRecord> out = new ArrayList<>();
        for (Language l : HEP) {
            for (int t = 0; t < TASKS; t++) {
                out.add(code(TaskKind.SYNTHESIS, l, null, Routing.automated(), t, t < synthesisPassed(l)));
                out.add(describe(l, t));
                out.add(code(TaskKind.EXPLAIN_SYNTHESIS, l, null, Routing.automated(), t, t < explainPassed(l)));
            }
            for (int t = 0; t < TASKS; t++) {
                for (Language expert : Language.values()) {
                    out.add(code(TaskKind.SYNTHESIS, l, null, Routing.forced(expert), t, t < forcedPassed(l, expert)));
                }
                out.add(code(TaskKind.SYNTHESIS, l, null, Routing.forced(null), t, t < forcedPassed(l, null)));
            }
        }
        for (LanguagePair p : LanguagePair.all()) {
            for (int t = 0; t < TASKS; t++) {
                out.add(code(TaskKind.TRANSLATION, p.target(), p.source(), Routing.manual(p.target()), t,
                        t < translationPassed(p.source(), p.target())));
            }
        }
        return out;
    }

    static String sampleId(TaskKind kind, Routing routing, Language source, String taskId, int index) {
        return kind.name() + "/" + routing.label() + "/" + (source == null ? "" : source.id() + "->") + taskId + "/"
                + index;
    }

    static String taskId(Language l, int t) {
        return l.taskPrefix() + "/" + t;
    }

    /**
     * A graded sample: under automated routing its prose is routed to NL and its code to the language's expert (the
     * tokens after the cut are prose), under manual or forced routing every token to the pinned expert or NL.
     */
    private static SampleRecord code(TaskKind kind, Language l, Language source, Routing routing, int t, boolean pass) {
        String taskId = taskId(l, t);
        String prefix = prefix(l, t);
        List<String> pieces = new ArrayList<>(List.of(body(l, t)));
        String codeRoute = routing.mode() == Routing.Mode.AUTOMATED ? l.id()
                : routing.language() == null ? "nl" : routing.language().id();
        List<String> routes = new ArrayList<>();
        pieces.forEach(p -> routes.add(codeRoute));
        String completion = String.join("", pieces);
        for (String prose : List.of("\n\n", "This", " returns", " the", " result", ".")) {
            pieces.add(prose);
            routes.add(routing.mode() == Routing.Mode.AUTOMATED ? "nl" : codeRoute);
        }
        String instruction = kind == TaskKind.TRANSLATION
                ? "```" + source.id() + "\n" + prefix(source, t) + "\n```\nTranslate the code snippet from "
                        + source.displayName() + " to " + l.displayName() + "."
                : kind == TaskKind.EXPLAIN_SYNTHESIS
                        ? "Sums two numbers.\nWrite functional code in " + l.displayName() + " according to the description."
                        : "Write a " + l.displayName() + " function `add_" + t + "` that adds " + t + " to x.";
        SandboxVerdict verdict = pass ? SandboxVerdict.PASS : failure(t);
        String reason = switch (verdict) {
            case PASS -> "all tests passed";
            case COMPILE_ERROR -> "line 2: expected expression";
            case TIMEOUT -> "wall-clock limit of 10 s reached";
            default -> "assertion failed: add_" + t + "(1) == " + (t + 1);
        };
        return new SampleRecord(sampleId(kind, routing, source, taskId, 0), kind, l, source, routing.label(), taskId, 0,
                instruction, prefix, String.join("", pieces), completion, "STOP_RULE", pieces, routes,
                prefix + completion + "\n" + test(l, t), verdict, reason);
    }

    private static SampleRecord describe(Language l, int t) {
        String taskId = taskId(l, t);
        List<String> pieces = List.of("The", " function", " adds", " " + t, " to", " its", " argument", ".");
        List<String> routes = pieces.stream().map(p -> "nl").toList();
        String text = String.join("", pieces);
        return new SampleRecord(sampleId(TaskKind.EXPLAIN_DESCRIBE, Routing.automated(), null, taskId, 0),
                TaskKind.EXPLAIN_DESCRIBE, l, null, "auto", taskId, 0, "```" + l.id() + "\n" + prefix(l, t) + "\n```\n"
                + "Provide a concise natural language description of the code.", "", text, text, "EOS", pieces, routes,
                "", null, "");
    }

    private static SandboxVerdict failure(int t) {
        return switch (t % 3) {
            case 0 -> SandboxVerdict.FAIL;
            case 1 -> SandboxVerdict.COMPILE_ERROR;
            default -> SandboxVerdict.TIMEOUT;
        };
    }

    private static String prefix(Language l, int t) {
        return switch (l) {
            case PYTHON -> "def add_" + t + "(x):\n    \"\"\"Adds " + t + " to x.\"\"\"\n";
            case RUST -> "fn add_" + t + "(x: i64) -> i64 {\n";
            case GO -> "func Add" + t + "(x int) int {\n";
            case JAVA -> "class Solution {\n    public int add" + t + "(int x) {\n";
            case JAVASCRIPT -> "const add" + t + " = (x) => {\n";
            default -> "int add" + t + "(int x) {\n";
        };
    }

    private static String[] body(Language l, int t) {
        return switch (l) {
            case PYTHON -> new String[] {"    return", " x", " +", " " + t, "\n"};
            case JAVA -> new String[] {"        return", " x", " +", " " + t, ";", "\n    }\n}", "\n"};
            case JAVASCRIPT, CPP -> new String[] {"  return", " x", " +", " " + t, ";", "\n}", "\n"};
            default -> new String[] {"    x", " +", " " + t, "\n}", "\n"};
        };
    }

    private static String test(Language l, int t) {
        return l == Language.PYTHON ? "assert add_" + t + "(1) == " + (t + 1) + "\n" : "// tests of add" + t + "\n";
    }

    /** Pass@1 per cell as the stage computes it for one greedy sample per task: the share of tasks solved. */
    static List<Score> scores(List<SampleRecord> samples) {
        Map<String, int[]> counts = new LinkedHashMap<>();
        Map<String, SampleRecord> first = new LinkedHashMap<>();
        for (SampleRecord s : samples) {
            if (!s.kind().graded()) {
                continue;
            }
            String key = s.kind() + "|" + s.language() + "|" + s.source() + "|" + s.routing();
            first.putIfAbsent(key, s);
            int[] c = counts.computeIfAbsent(key, k -> new int[2]);
            c[0]++;
            if (s.passed()) {
                c[1]++;
            }
        }
        List<Score> out = new ArrayList<>();
        counts.forEach((key, c) -> {
            SampleRecord s = first.get(key);
            double p = (double) c[1] / c[0];
            out.add(new Score(s.kind(), s.language(), s.source(), s.routing(), c[1], c[0], p, Map.of(1, p)));
        });
        return out;
    }

    Score score(TaskKind kind, Language language, Language source, String routing) {
        return scores.stream().filter(s -> s.kind() == kind && s.language() == language && s.source() == source
                && s.routing().equals(routing)).findFirst().orElseThrow();
    }

    private static byte[] jsonl(List<SampleRecord> samples) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            for (SampleRecord s : samples) {
                b.write(JSON.writeValueAsBytes(s));
                b.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }
}
