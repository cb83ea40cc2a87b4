package dev.mole.deploy;

import dev.mole.contracts.evaluation.LanguagePair;
import dev.mole.contracts.evaluation.Routing;
import dev.mole.contracts.evaluation.TaskKind;
import dev.mole.contracts.experiment.ExperimentArm;
import dev.mole.contracts.experiment.ExperimentEvaluation;
import dev.mole.contracts.language.Language;
import dev.mole.contracts.training.TrainingHyperParameters;
import dev.mole.contracts.training.TrainingMethod;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./mole experiment start}: the dataset (an id or manifest, or an input file to curate first), the base, the arms
 * and seeds, the shared training limits and the evaluation choices. Syntax and spelling are checked here; the request
 * and the platform's preflight check the rest before any GPU work.
 *
 * @param dataset a dataset id (or unique prefix) or {@code s3://} manifest; null when {@code input} is given
 * @param input   a Glaive-style JSONL or Parquet file to curate first; null when {@code dataset} is given
 * @param base    a local base folder (uploaded first) or an {@code s3://} folder
 */
record ExperimentArgs(String name, String dataset, String input, String base, List<ExperimentArm> arms, List<Long> seeds,
        ExperimentEvaluation evaluation, String svd, boolean json, boolean noWait) {

    static final String USAGE = "./mole experiment start (--dataset ID|s3://manifest | --input FILE) --base DIR|s3://folder "
            + "--arm METHOD[:VARIANT[:INIT]][=NAME] ... (e.g. --arm mole:48+16 --arm all_lang:64 --arm no_ft) "
            + "[--seeds 1,2,3] [--max-steps N] [--batch N] [--lr X] [--max-length N] [--precision fp32|fp16] "
            + "[--tasks synthesis,explain,translation] [--languages ...] [--pairs all|python-rust,...] [--limit N] "
            + "[--max-new-tokens N] [--specialisation] [--svd randomized|exact] [--name N] [--json] [--no-wait]";

    static ExperimentArgs parse(List<String> args) {
        String name = null, dataset = null, input = null, base = null, svd = null;
        List<String> armSpecs = new ArrayList<>();
        List<Long> seeds = null;
        TrainingHyperParameters hyper = TrainingHyperParameters.paper();
        List<TaskKind> kinds = List.of(TaskKind.SYNTHESIS, TaskKind.EXPLAIN_SYNTHESIS, TaskKind.TRANSLATION);
        List<Language> languages = Language.humanEvalPack();
        List<LanguagePair> pairs = null;
        int limit = 0, maxNewTokens = 0;
        boolean specialisation = false, json = false, noWait = false;
        for (int i = 0; i < args.size(); i++) {
            String flag = args.get(i);
            try {
                switch (flag) {
                    case "--name" -> name = Flags.value(args, ++i, flag);
                    case "--dataset" -> dataset = Flags.value(args, ++i, flag);
                    case "--input" -> input = Flags.value(args, ++i, flag);
                    case "--base" -> base = Flags.value(args, ++i, flag);
                    case "--arm" -> armSpecs.add(Flags.value(args, ++i, flag));
                    case "--seeds" -> seeds = list(Flags.value(args, ++i, flag)).stream().map(s -> (long) Flags.whole(s, flag)).toList();
                    case "--max-steps" -> hyper = hyper.withMaxSteps(Flags.whole(Flags.value(args, ++i, flag), flag));
                    case "--batch" -> hyper = hyper.withBatch(Flags.whole(Flags.value(args, ++i, flag), flag), hyper.epochs());
                    case "--lr" -> hyper = hyper.withLearningRate(Flags.number(Flags.value(args, ++i, flag), flag));
                    case "--max-length" -> hyper = hyper.withMaxLength(Flags.whole(Flags.value(args, ++i, flag), flag));
                    case "--precision" -> hyper = hyper.withPrecision(Flags.value(args, ++i, flag));
                    case "--tasks" -> kinds = list(Flags.value(args, ++i, flag)).stream().map(TaskKind::parseRequested).distinct().toList();
                    case "--languages" -> languages = list(Flags.value(args, ++i, flag)).stream().map(Language::parseHumanEvalPack).distinct().toList();
                    case "--pairs" -> {
                        String v = Flags.value(args, ++i, flag);
                        pairs = v.equalsIgnoreCase("all") ? LanguagePair.all() : list(v).stream().map(LanguagePair::parse).distinct().toList();
                    }
                    case "--limit" -> limit = Flags.whole(Flags.value(args, ++i, flag), flag);
                    case "--max-new-tokens" -> maxNewTokens = Flags.whole(Flags.value(args, ++i, flag), flag);
                    case "--specialisation", "--specialization" -> specialisation = true;
                    case "--svd" -> svd = Flags.value(args, ++i, flag);
                    case "--json" -> json = true;
                    case "--no-wait" -> noWait = true;
                    default -> throw new MoleLauncher.UsageException("unexpected argument '" + flag + "'. Usage: " + USAGE);
                }
            } catch (IllegalArgumentException e) {
                throw new MoleLauncher.UsageException(flag + ": " + e.getMessage());
            }
        }
        if ((dataset == null) == (input == null)) {
            throw new MoleLauncher.UsageException("experiment start needs exactly one of --dataset ID and --input FILE. Usage: " + USAGE);
        }
        if (base == null) throw new MoleLauncher.UsageException("experiment start needs --base: the base model folder");
        if (armSpecs.isEmpty()) throw new MoleLauncher.UsageException("experiment start needs at least one --arm. Usage: " + USAGE);
        List<ExperimentArm> arms = new ArrayList<>();
        for (String spec : armSpecs) arms.add(arm(spec, hyper));
        if (pairs == null) pairs = kinds.contains(TaskKind.TRANSLATION) ? LanguagePair.all() : List.of();
        try {
            ExperimentEvaluation evaluation = new ExperimentEvaluation(kinds, languages, pairs, limit, Routing.Mode.AUTOMATED,
                    Routing.Mode.MANUAL, specialisation, null, maxNewTokens);
            return new ExperimentArgs(name, dataset, input, base, arms, seeds, evaluation, svd, json, noWait);
        } catch (IllegalArgumentException e) {
            throw new MoleLauncher.UsageException(e.getMessage());
        }
    }

    /** {@code METHOD[:VARIANT[:INIT]][=NAME]}; the method in any case, with - or _ (all-lang, ALL_LANG). */
    static ExperimentArm arm(String spec, TrainingHyperParameters hyper) {
        String name = null, body = spec;
        int eq = spec.indexOf('=');
        if (eq >= 0) {
            name = spec.substring(eq + 1);
            body = spec.substring(0, eq);
        }
        String[] p = body.split(":", -1);
        if (p.length > 3) throw new MoleLauncher.UsageException("--arm " + spec + ": expected METHOD[:VARIANT[:INIT]][=NAME]");
        TrainingMethod method;
        try {
            method = TrainingMethod.valueOf(p[0].trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new MoleLauncher.UsageException("--arm " + spec + ": unknown method '" + p[0] + "' (one of "
                    + List.of(TrainingMethod.values()) + ")");
        }
        try {
            return new ExperimentArm(name, method, p.length > 1 ? p[1] : null, p.length > 2 ? p[2] : null, hyper);
        } catch (IllegalArgumentException e) {
            throw new MoleLauncher.UsageException("--arm " + spec + ": " + e.getMessage());
        }
    }

    private static List<String> list(String v) {
        List<String> out = new ArrayList<>(new LinkedHashSet<>(List.of(v.split(","))));
        out.removeIf(String::isBlank);
        if (out.isEmpty()) throw new IllegalArgumentException("an empty list");
        return out;
    }
}
