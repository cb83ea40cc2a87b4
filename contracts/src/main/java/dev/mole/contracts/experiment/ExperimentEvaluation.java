package dev.mole.contracts.experiment;

import dev.mole.contracts.evaluation.EvaluationRequest;
import dev.mole.contracts.evaluation.LanguagePair;
import dev.mole.contracts.evaluation.Oracle;
import dev.mole.contracts.evaluation.Routing;
import dev.mole.contracts.evaluation.Sampling;
import dev.mole.contracts.evaluation.TaskKind;
import dev.mole.contracts.language.Language;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.contracts.training.TrainingMethod;
import java.util.List;

/**
 * The evaluation stage's choices, the same for every arm and seed: an {@link EvaluationRequest} without its model. The
 * specialisation matrix applies to MoLE arms only (the other methods have no experts to force).
 */
public record ExperimentEvaluation(List<TaskKind> kinds, List<Language> languages, List<LanguagePair> pairs, int limit,
        Routing.Mode routing, Routing.Mode translationRouting, boolean specialisation, Sampling sampling, int maxNewTokens) {

    private static final ObjectRef CHECK = new ObjectRef("check", "base");

    public ExperimentEvaluation {
        kinds = kinds == null ? List.of() : List.copyOf(kinds);
        languages = languages == null ? List.of() : List.copyOf(languages);
        pairs = pairs == null ? List.of() : List.copyOf(pairs);
        // every rule of an evaluation request, checked once here instead of per arm at the end of training
        EvaluationRequest checked = new EvaluationRequest("check", CHECK, null, kinds, languages, pairs, limit, routing,
                translationRouting, false, sampling, maxNewTokens, Oracle.NONE);
        routing = checked.routing();
        translationRouting = checked.translationRouting();
        sampling = checked.sampling();
        maxNewTokens = checked.maxNewTokens();
    }

    /** The request evaluating one trained model (adapters) or, with null adapters, the base alone. */
    public EvaluationRequest forModel(String name, ObjectRef base, ObjectRef adapters, TrainingMethod method) {
        return new EvaluationRequest(name, base, adapters, kinds, languages, pairs, limit, routing, translationRouting,
                specialisation && method == TrainingMethod.MOLE && adapters != null, sampling, maxNewTokens, Oracle.NONE);
    }
}
