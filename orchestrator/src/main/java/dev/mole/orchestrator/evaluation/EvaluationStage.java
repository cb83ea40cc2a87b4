package dev.mole.orchestrator.evaluation;

import dev.mole.contracts.config.Setting;
import dev.mole.contracts.evaluation.EvaluationPlan;
import dev.mole.contracts.evaluation.EvaluationRequest;
import dev.mole.contracts.evaluation.EvaluationSummary;
import dev.mole.contracts.evaluation.GeneratedSample;
import dev.mole.contracts.evaluation.GenerationChunk;
import dev.mole.contracts.evaluation.GenerationTask;
import dev.mole.contracts.evaluation.Oracle;
import dev.mole.contracts.evaluation.SampleRecord;
import dev.mole.contracts.evaluation.Score;
import dev.mole.contracts.evaluation.TaskKind;
import dev.mole.contracts.sandbox.SandboxProgram;
import dev.mole.contracts.sandbox.SandboxResult;
import dev.mole.contracts.storage.BlobStore;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.evaluation.Completions;
import dev.mole.evaluation.Descriptions;
import dev.mole.evaluation.EvalPrompt;
import dev.mole.evaluation.GradedPrograms;
import dev.mole.evaluation.HumanEvalPack;
import dev.mole.evaluation.KnownDefects;
import dev.mole.evaluation.OracleAnswers;
import dev.mole.evaluation.StopRules;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The CPU steps of an evaluation. Objects live under {@code evaluations/<id>/}: each round's chunks
 * ({@code r1/tasks-NNNNN.jsonl} with {@code r1/outputs-NNNNN.jsonl} beside it), the sandbox batches
 * ({@code programs/batch-NNNNN.jsonl}) and {@code samples.jsonl}. Every step derives its objects from its inputs alone,
 * so a retry writes the same bytes.
 */
public final class EvaluationStage {
    /**
     * Samples per GPU chunk ({@code mole.evaluation.chunk}, default 64): small enough that a killed worker loses little,
     * large enough to keep a decoding batch of 32 full. Programs per sandbox batch: {@code mole.evaluation.batch}, 100.
     * Neither changes a result, so neither is part of the evaluation id.
     */
    private final int chunk = Setting.EVALUATION_CHUNK.readInt(64);
    private final int batch = Setting.EVALUATION_BATCH.readInt(100);

    private final BlobStore store;
    private final String bucket;
    private final EvaluationCatalog catalog;

    public EvaluationStage(BlobStore store, String bucket, EvaluationCatalog catalog) {
        this.store = store;
        this.bucket = bucket;
        this.catalog = catalog;
        if (chunk < 1 || batch < 1) throw new IllegalArgumentException("mole.evaluation.chunk and .batch must be positive");
    }

    /**
     * Everything that can be checked before a workflow starts: the models are whole and match, and the selection makes
     * tasks this model can run. Returns the evaluation id. IllegalArgumentException names the problem.
     */
    public static String preflight(BlobStore store, EvaluationRequest request) {
        String id = EvaluationIds.of(store, request);
        EvaluationTasks.firstRound(request, new EvaluationTasks.Model(EvaluationModels.method(store, request)));
        return id;
    }

    public EvaluationPlan plan(EvaluationRequest request) {
        String id = EvaluationIds.of(store, request);
        Optional<EvaluationCatalog.EvaluationRow> done = catalog.find(id).filter(r -> r.status().equals("COMPLETED"));
        if (done.isPresent()) {
            return new EvaluationPlan(id, done.get().summary(true), List.of());
        }
        EvaluationTasks.Model model = new EvaluationTasks.Model(EvaluationModels.method(store, request));
        List<GenerationTask> tasks = EvaluationTasks.firstRound(request, model);
        catalog.started(id, request);
        return new EvaluationPlan(id, null, writeRound(id, request, "r1", tasks));
    }

    public List<GenerationChunk> planExplainSynthesis(String id, EvaluationRequest request, List<ObjectRef> outputs) {
        EvaluationTasks.Model model = new EvaluationTasks.Model(EvaluationModels.method(store, request));
        List<GenerationTask> next = new ArrayList<>();
        for (ObjectRef out : outputs) {
            List<GenerationTask> tasks = Jsonl.read(store, tasksOf(out), GenerationTask.class);
            List<GeneratedSample> samples = Jsonl.read(store, out, GeneratedSample.class);
            requireSameLength(out, tasks, samples);
            for (int i = 0; i < tasks.size(); i++) {
                GenerationTask t = tasks.get(i);
                if (t.kind() == TaskKind.EXPLAIN_DESCRIBE) {
                    EvalPrompt p = prompt(t);
                    String description = Descriptions.clean(Completions.extract(p, samples.get(i).text()), p.task());
                    next.add(EvaluationTasks.explainSynthesis(t, description, request, model));
                }
            }
        }
        return writeRound(id, request, "r2", next);
    }

    public List<ObjectRef> programs(String id, List<ObjectRef> outputs) {
        List<SandboxProgram> programs = new ArrayList<>();
        for (ObjectRef out : outputs) {
            List<GenerationTask> tasks = Jsonl.read(store, tasksOf(out), GenerationTask.class);
            List<GeneratedSample> samples = Jsonl.read(store, out, GeneratedSample.class);
            requireSameLength(out, tasks, samples);
            for (int i = 0; i < tasks.size(); i++) {
                if (tasks.get(i).kind().graded()) {
                    programs.add(GradedPrograms.fromGeneration(tasks.get(i).sampleId(), prompt(tasks.get(i)), samples.get(i).text()));
                }
            }
        }
        List<ObjectRef> batches = new ArrayList<>();
        for (int from = 0, n = 0; from < programs.size(); from += batch, n++) {
            ObjectRef ref = folder(id).child(String.format(Locale.ROOT, "programs/batch-%05d.jsonl", n));
            Jsonl.write(store, ref, programs.subList(from, Math.min(programs.size(), from + batch)));
            batches.add(ref);
        }
        return batches;
    }

    public EvaluationSummary aggregate(String id, EvaluationRequest request, List<ObjectRef> outputs,
            List<ObjectRef> batches, List<ObjectRef> results) {
        Map<String, SandboxProgram> programs = new HashMap<>();
        for (ObjectRef b : batches) for (SandboxProgram p : Jsonl.read(store, b, SandboxProgram.class)) programs.put(p.id(), p);
        Map<String, SandboxResult> verdicts = new HashMap<>();
        for (ObjectRef r : results) for (SandboxResult s : Jsonl.read(store, r, SandboxResult.class)) verdicts.put(s.id(), s);
        List<SampleRecord> records = new ArrayList<>();
        for (ObjectRef out : outputs) {
            List<GenerationTask> tasks = Jsonl.read(store, tasksOf(out), GenerationTask.class);
            List<GeneratedSample> samples = Jsonl.read(store, out, GeneratedSample.class);
            requireSameLength(out, tasks, samples);
            for (int i = 0; i < tasks.size(); i++) {
                records.add(record(tasks.get(i), samples.get(i), programs.get(tasks.get(i).sampleId()),
                        verdicts.get(tasks.get(i).sampleId())));
            }
        }
        List<Score> scores = Scores.of(records);
        List<String> notes = new ArrayList<>();
        for (SampleRecord r : records) {
            if (r.kind().graded() && !r.passed()) {
                KnownDefects.flaky(r.taskId()).ifPresent(why -> notes.add(r.sampleId() + " failed; known flaky task: " + why));
            }
        }
        ObjectRef samplesRef = folder(id).child("samples.jsonl");
        Jsonl.write(store, samplesRef, records);
        catalog.completed(id, samplesRef, scores, notes);
        return new EvaluationSummary(id, request.name(), false, scores, samplesRef, notes);
    }

    public void recordFailed(String id, String reason) {
        catalog.failed(id, reason);
    }

    private static SampleRecord record(GenerationTask t, GeneratedSample g, SandboxProgram program, SandboxResult verdict) {
        String completion = Completions.extract(prompt(t), g.text());
        String source = program == null ? "" : program.prompt() + program.solution() + "\n" + program.test();
        String reason = verdict != null ? verdict.reason()
                : t.kind().graded() ? "no sandbox result was recorded for this program" : "";
        if (verdict != null && !verdict.passed()) {
            reason += KnownDefects.flaky(t.taskId()).map(why -> " (known flaky task: " + why + ")").orElse("");
        }
        return new SampleRecord(t.sampleId(), t.kind(), t.language(), t.source(), t.routing().label(), t.taskId(),
                t.sampleIndex(), t.instruction(), t.responsePrefix(), g.text(), completion, g.stop(), g.pieces(),
                g.routes(), source, verdict == null ? null : verdict.verdict(), reason, output(verdict));
    }

    /** The last 2,000 characters of what the program wrote: enough to see an assertion or a compiler error. */
    private static String output(SandboxResult r) {
        if (r == null) return "";
        String both = (r.stderr() == null ? "" : r.stderr()) + (r.stdout() == null || r.stdout().isEmpty() ? "" : "\n" + r.stdout());
        return both.length() <= 2000 ? both : "..." + both.substring(both.length() - 2000);
    }

    /**
     * The prompt a task was built from, rebuilt from the task's identity: what grading needs of it (the kind, the graded
     * task, the code the response began with) does not depend on explain's description.
     */
    static EvalPrompt prompt(GenerationTask t) {
        var task = HumanEvalPack.task(t.taskId());
        return switch (t.kind()) {
            case SYNTHESIS -> dev.mole.evaluation.EvalPrompts.synthesis(task);
            case EXPLAIN_DESCRIBE -> dev.mole.evaluation.EvalPrompts.explainDescribe(task);
            case EXPLAIN_SYNTHESIS -> dev.mole.evaluation.EvalPrompts.explainSynthesis(task, "");
            case TRANSLATION -> dev.mole.evaluation.EvalPrompts.translation(HumanEvalPack.task(t.source(), task.number()), task);
        };
    }

    private List<GenerationChunk> writeRound(String id, EvaluationRequest request, String round, List<GenerationTask> tasks) {
        List<GenerationChunk> chunks = new ArrayList<>();
        for (int from = 0, n = 0; from < tasks.size(); from += chunk, n++) {
            List<GenerationTask> part = tasks.subList(from, Math.min(tasks.size(), from + chunk));
            ObjectRef taskRef = folder(id).child(String.format(Locale.ROOT, "%s/tasks-%05d.jsonl", round, n));
            ObjectRef outRef = outputOf(taskRef);
            Jsonl.write(store, taskRef, part);
            if (request.oracle() != Oracle.NONE) {
                Jsonl.write(store, outRef, oracleOutputs(request.oracle(), part));
            }
            chunks.add(new GenerationChunk(id, n, request.baseCheckpoint(),
                    request.adapters(), request.sampling(), taskRef, outRef));
        }
        return chunks;
    }

    /** What a perfect (or the buggy) model would have generated, through the same cut and assembly afterwards. */
    private static List<GeneratedSample> oracleOutputs(Oracle oracle, List<GenerationTask> tasks) {
        List<GeneratedSample> out = new ArrayList<>(tasks.size());
        for (GenerationTask t : tasks) {
            EvalPrompt p = prompt(t);
            String text = dev.mole.evaluation.OracleAnswers.generation(oracle, p);
            int cut = StopRules.of(p).cut(text);
            out.add(new GeneratedSample(t.sampleId(), text, cut, "ORACLE", List.of(), List.of()));
        }
        return out;
    }

    private ObjectRef folder(String id) {
        return new ObjectRef(bucket, "evaluations/" + id);
    }

    static ObjectRef outputOf(ObjectRef tasks) {
        String name = tasks.key().substring(tasks.key().lastIndexOf('/') + 1);
        return tasks.sibling(name.replaceFirst("^tasks-", "outputs-"));
    }

    static ObjectRef tasksOf(ObjectRef output) {
        String name = output.key().substring(output.key().lastIndexOf('/') + 1);
        return output.sibling(name.replaceFirst("^outputs-", "tasks-"));
    }

    private static void requireSameLength(ObjectRef out, List<?> tasks, List<?> samples) {
        if (tasks.size() != samples.size()) {
            throw new IllegalStateException(out + " holds " + samples.size() + " samples for " + tasks.size() + " tasks");
        }
    }
}
