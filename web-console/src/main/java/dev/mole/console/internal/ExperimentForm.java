package dev.mole.console.internal;

import dev.mole.contracts.curation.CurationRequest;
import dev.mole.contracts.evaluation.LanguagePair;
import dev.mole.contracts.evaluation.Routing;
import dev.mole.contracts.evaluation.TaskKind;
import dev.mole.contracts.experiment.ExperimentArm;
import dev.mole.contracts.experiment.ExperimentEvaluation;
import dev.mole.contracts.experiment.ExperimentRequest;
import dev.mole.contracts.language.Language;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.contracts.training.TrainingHyperParameters;
import dev.mole.contracts.training.TrainingMethod;
import dev.mole.orchestrator.finetune.FinetuneOrders;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The body of {@code POST /api/experiments}. Methods in any case, with - or _; task kinds, languages and pairs as the
 * evaluation form takes them ("all" for every language or pair). Training limits apply to every arm.
 *
 * @param dataset a dataset id (or unique prefix) or an s3:// manifest; or give {@code input}
 * @param input   a file to curate first (a path on the platform's machine, or s3://)
 * @param base    the s3:// folder of the base model
 */
public record ExperimentForm(String name, String dataset, String input, String base, List<Arm> arms, List<Long> seeds,
        Integer maxSteps, Integer batch, Double learningRate, Integer maxLength, List<String> kinds, List<String> languages,
        List<String> pairs, Integer limit, Integer maxNewTokens, Boolean specialisation, String svd) {

    public record Arm(String name, String method, String variant, String init) {}

    ExperimentRequest toRequest(FinetuneOrders datasets) {
        if (base == null || !base.startsWith("s3://")) throw ApiException.badRequest("base: give the s3:// folder of the base model");
        if ((dataset == null) == (input == null)) throw ApiException.badRequest("dataset: give a dataset id or an input to curate, not both");
        if (arms == null || arms.isEmpty()) throw ApiException.badRequest("arms: give at least one arm (a method with its settings)");
        TrainingHyperParameters hyper = TrainingHyperParameters.paper();
        try {
            if (maxSteps != null) hyper = hyper.withMaxSteps(maxSteps);
            if (batch != null) hyper = hyper.withBatch(batch, hyper.epochs());
            if (learningRate != null) hyper = hyper.withLearningRate(learningRate);
            if (maxLength != null) hyper = hyper.withMaxLength(maxLength);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("training: " + e.getMessage());
        }
        List<ExperimentArm> parsedArms = new ArrayList<>();
        for (Arm a : arms) {
            try {
                TrainingMethod m = TrainingMethod.valueOf(a.method() == null ? "" : a.method().trim().toUpperCase(Locale.ROOT).replace('-', '_'));
                parsedArms.add(new ExperimentArm(a.name(), m, a.variant(), a.init(), hyper));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("arms: " + (a.method() == null || e.getMessage().startsWith("No enum")
                        ? "unknown method '" + a.method() + "' (one of " + List.of(TrainingMethod.values()) + ")" : e.getMessage()));
            }
        }
        ExperimentEvaluation evaluation;
        try {
            List<TaskKind> k = kinds == null || kinds.isEmpty()
                    ? List.of(TaskKind.SYNTHESIS, TaskKind.EXPLAIN_SYNTHESIS, TaskKind.TRANSLATION)
                    : kinds.stream().map(TaskKind::parseRequested).distinct().toList();
            List<Language> l = languages == null || languages.isEmpty() || languages.contains("all") ? Language.humanEvalPack()
                    : languages.stream().map(Language::parseHumanEvalPack).distinct().toList();
            List<LanguagePair> p = pairs == null || pairs.isEmpty() || pairs.contains("all")
                    ? (k.contains(TaskKind.TRANSLATION) ? LanguagePair.all() : List.of())
                    : pairs.stream().map(LanguagePair::parse).distinct().toList();
            evaluation = new ExperimentEvaluation(k, l, p, limit == null ? 0 : limit, Routing.Mode.AUTOMATED,
                    Routing.Mode.MANUAL, Boolean.TRUE.equals(specialisation), null, maxNewTokens == null ? 0 : maxNewTokens);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("evaluation: " + e.getMessage());
        }
        ObjectRef baseRef;
        try {
            baseRef = ObjectRef.parse(base);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("base: " + e.getMessage());
        }
        ObjectRef manifest = null;
        if (dataset != null) {
            try {
                manifest = datasets.manifest(dataset.trim());
            } catch (FinetuneOrders.UnknownDatasetException e) {
                throw ApiException.notFound(e.getMessage());
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("dataset: " + e.getMessage());
            }
        }
        try {
            return new ExperimentRequest(name, manifest, input == null ? null : CurationRequest.of(input.trim()), baseRef,
                    parsedArms, seeds, evaluation, svd);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }
}
