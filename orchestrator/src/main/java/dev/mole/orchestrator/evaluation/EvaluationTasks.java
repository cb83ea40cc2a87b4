package dev.mole.orchestrator.evaluation;

import dev.mole.contracts.evaluation.EvaluationRequest;
import dev.mole.contracts.evaluation.GenerationTask;
import dev.mole.contracts.evaluation.LanguagePair;
import dev.mole.contracts.evaluation.Routing;
import dev.mole.contracts.evaluation.TaskKind;
import dev.mole.contracts.language.Language;
import dev.mole.evaluation.EvalPrompt;
import dev.mole.evaluation.EvalPrompts;
import dev.mole.evaluation.HumanEvalPack;
import dev.mole.evaluation.HumanEvalTask;
import java.util.ArrayList;
import java.util.List;

/**
 * The generations an evaluation needs, as {@link GenerationTask}s. First round: synthesis, explain's describe step,
 * translation and the forced-routing matrix; second round: explain's synthesis from the cleaned descriptions.
 */
final class EvaluationTasks {
    private EvaluationTasks() {}

    /** What the trained method can be asked: PER_LANG has one LoRA per language and no shared one. */
    record Model(String method) {
        boolean perLanguage() {
            return method.equals("PER_LANG");
        }

        boolean routed() {
            return method.equals("MOLE");
        }
    }

    static List<GenerationTask> firstRound(EvaluationRequest r, Model model) {
        if (r.specialisation() && !model.routed()) {
            throw new IllegalArgumentException("the specialisation matrix forces experts, and a " + model.method()
                    + " model has none: it needs a MoLE model");
        }
        List<GenerationTask> out = new ArrayList<>();
        for (Language l : r.languages()) {
            for (HumanEvalTask t : tasks(l, r.limit())) {
                if (r.kinds().contains(TaskKind.SYNTHESIS)) {
                    add(out, r, model, EvalPrompts.synthesis(t), routing(r.routing(), l), null);
                }
                if (r.kinds().contains(TaskKind.EXPLAIN_SYNTHESIS)) {
                    add(out, r, model, EvalPrompts.explainDescribe(t), routing(r.routing(), l), null);
                }
                if (r.specialisation()) {
                    for (Language expert : Language.values()) {
                        add(out, r, model, EvalPrompts.synthesis(t), Routing.forced(expert), null);
                    }
                    add(out, r, model, EvalPrompts.synthesis(t), Routing.forced(null), null);
                }
            }
        }
        if (r.kinds().contains(TaskKind.TRANSLATION)) {
            for (LanguagePair p : r.pairs()) {
                List<HumanEvalTask> sources = tasks(p.source(), r.limit());
                List<HumanEvalTask> targets = tasks(p.target(), r.limit());
                for (int i = 0; i < Math.min(sources.size(), targets.size()); i++) {
                    add(out, r, model, EvalPrompts.translation(sources.get(i), targets.get(i)),
                            routing(r.translationRouting(), p.target()), p.source());
                }
            }
        }
        if (out.isEmpty()) throw new IllegalArgumentException("the selection holds no task");
        return out;
    }

    /** Explain's second step for one describe sample: synthesize from its cleaned description, same routing. */
    static GenerationTask explainSynthesis(GenerationTask describe, String description, EvaluationRequest r, Model model) {
        HumanEvalTask t = HumanEvalPack.task(describe.taskId());
        EvalPrompt p = EvalPrompts.explainSynthesis(t, description);
        return task(r, model, p, describe.routing(), null, describe.sampleIndex());
    }

    static String sampleId(TaskKind kind, Routing routing, String taskId, Language source, int index) {
        return kind.name() + "/" + routing.label() + "/" + (source == null ? "" : source.id() + "->") + taskId + "/" + index;
    }

    private static void add(List<GenerationTask> out, EvaluationRequest r, Model model, EvalPrompt p, Routing routing, Language source) {
        for (int i = 0; i < r.sampling().samples(); i++) out.add(task(r, model, p, routing, source, i));
    }

    private static GenerationTask task(EvaluationRequest r, Model model, EvalPrompt p, Routing routing, Language source, int index) {
        TaskKind kind = p.kind();
        Language l = p.language();
        String taskId = p.task().taskId();
        return new GenerationTask(sampleId(kind, routing, taskId, source, index), kind, taskId, source, l,
                p.instruction(), p.responsePrefix(), routing, model.perLanguage() ? l : null, index, r.maxNewTokens());
    }

    private static Routing routing(Routing.Mode mode, Language l) {
        return mode == Routing.Mode.MANUAL ? Routing.manual(l) : Routing.automated();
    }

    private static List<HumanEvalTask> tasks(Language l, int limit) {
        List<HumanEvalTask> all = HumanEvalPack.load(l);
        return limit > 0 && limit < all.size() ? all.subList(0, limit) : all;
    }
}
