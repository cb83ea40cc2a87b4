package dev.mole.deploy;

import dev.mole.contracts.evaluation.LanguagePair;
import dev.mole.contracts.evaluation.Oracle;
import dev.mole.contracts.evaluation.Routing;
import dev.mole.contracts.evaluation.Sampling;
import dev.mole.contracts.evaluation.TaskKind;
import dev.mole.contracts.language.Language;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./mole evaluate}: what to evaluate (a trained output folder or manifest, a finetune run and seed, the base alone,
 * or an oracle) and the settings. Only syntax and value spelling are checked here; the evaluation request and the
 * platform check the rest before any GPU work.
 *
 * @param adapters  a local trained output folder or an {@code s3://.../manifest.json}; null with --run, --base-only, --oracle
 * @param base      a local base folder or {@code s3://} folder; null to take the run's base
 */
record EvaluateArgs(String adapters, String run, Long seed, boolean baseOnly, String base, List<TaskKind> kinds,
        List<Language> languages, List<LanguagePair> pairs, int limit, Routing.Mode routing, Routing.Mode translationRouting,
        boolean specialisation, Sampling sampling, int maxNewTokens, Oracle oracle, String name, boolean json) {

    static final String USAGE = "./mole evaluate OUTPUT_DIR|s3://.../manifest.json | --run RUN_ID --seed N | --base-only "
            + "| --oracle canonical|buggy  [--base DIR|s3://folder] [--tasks synthesis,explain,translation] "
            + "[--languages cpp,go,java,js,python,rust] [--pairs all|python-rust,...] [--limit N] [--routing auto|manual] "
            + "[--translation-routing manual|auto] [--specialisation] [--temperature T --top-p P --samples N --sample-seed S] "
            + "[--max-new-tokens N] [--name N] [--json]";

    static EvaluateArgs parse(List<String> args) {
        String adapters = null, run = null, base = null, name = null;
        Long seed = null;
        boolean baseOnly = false, specialisation = false, json = false;
        List<TaskKind> kinds = List.of(TaskKind.SYNTHESIS, TaskKind.EXPLAIN_SYNTHESIS, TaskKind.TRANSLATION);
        List<Language> languages = Language.humanEvalPack();
        List<LanguagePair> pairs = null;
        int limit = 0, maxNewTokens = 0, samples = 1;
        double temperature = 0, topP = 1;
        long sampleSeed = 0;
        Routing.Mode routing = Routing.Mode.AUTOMATED, translationRouting = Routing.Mode.MANUAL;
        Oracle oracle = Oracle.NONE;
        for (int i = 0; i < args.size(); i++) {
            String flag = args.get(i);
            try {
                switch (flag) {
                    case "--run" -> run = Flags.value(args, ++i, flag);
                    case "--seed" -> seed = (long) Flags.whole(Flags.value(args, ++i, flag), flag);
                    case "--base-only" -> baseOnly = true;
                    case "--base" -> base = Flags.value(args, ++i, flag);
                    case "--tasks" -> kinds = list(Flags.value(args, ++i, flag)).stream().map(TaskKind::parseRequested).distinct().toList();
                    case "--languages" -> languages = list(Flags.value(args, ++i, flag)).stream().map(Language::parseHumanEvalPack).distinct().toList();
                    case "--pairs" -> {
                        String v = Flags.value(args, ++i, flag);
                        pairs = v.equalsIgnoreCase("all") ? LanguagePair.all() : list(v).stream().map(LanguagePair::parse).distinct().toList();
                    }
                    case "--limit" -> limit = Flags.whole(Flags.value(args, ++i, flag), flag);
                    case "--routing" -> routing = Routing.parseMode(Flags.value(args, ++i, flag));
                    case "--translation-routing" -> translationRouting = Routing.parseMode(Flags.value(args, ++i, flag));
                    case "--specialisation", "--specialization" -> specialisation = true;
                    case "--temperature" -> temperature = Flags.number(Flags.value(args, ++i, flag), flag);
                    case "--top-p" -> topP = Flags.number(Flags.value(args, ++i, flag), flag);
                    case "--samples" -> samples = Flags.whole(Flags.value(args, ++i, flag), flag);
                    case "--sample-seed" -> sampleSeed = Flags.whole(Flags.value(args, ++i, flag), flag);
                    case "--max-new-tokens" -> maxNewTokens = Flags.whole(Flags.value(args, ++i, flag), flag);
                    case "--oracle" -> oracle = oracle(Flags.value(args, ++i, flag));
                    case "--name" -> name = Flags.value(args, ++i, flag);
                    case "--json" -> json = true;
                    default -> {
                        if (flag.startsWith("--") || adapters != null) {
                            throw new MoleLauncher.UsageException("unexpected argument '" + flag + "'. Usage: " + USAGE);
                        }
                        adapters = flag;
                    }
                }
            } catch (IllegalArgumentException e) {
                throw new MoleLauncher.UsageException(flag + ": " + e.getMessage());
            }
        }
        int sources = (adapters != null ? 1 : 0) + (run != null ? 1 : 0) + (baseOnly ? 1 : 0) + (oracle != Oracle.NONE ? 1 : 0);
        if (sources != 1) {
            throw new MoleLauncher.UsageException("evaluate needs exactly one of: a trained output (folder or s3:// manifest), "
                    + "--run RUN_ID --seed N, --base-only, --oracle canonical|buggy. Usage: " + USAGE);
        }
        if ((run == null) != (seed == null)) throw new MoleLauncher.UsageException("--run and --seed go together");
        if ((baseOnly || adapters != null) && base == null) {
            throw new MoleLauncher.UsageException("evaluate needs --base: the base model folder the adapters were trained on");
        }
        if (pairs == null) pairs = kinds.contains(TaskKind.TRANSLATION) ? LanguagePair.all() : List.of();
        Sampling sampling;
        try {
            sampling = new Sampling(temperature, topP, samples, sampleSeed);
        } catch (IllegalArgumentException e) {
            throw new MoleLauncher.UsageException(e.getMessage());
        }
        return new EvaluateArgs(adapters, run, seed, baseOnly, base, kinds, languages, pairs, limit, routing,
                translationRouting, specialisation, sampling, maxNewTokens, oracle, name, json);
    }

    boolean localAdapters() {
        return adapters != null && !adapters.startsWith("s3://");
    }

    boolean localBase() {
        return base != null && !base.startsWith("s3://");
    }

    Path adaptersDir() {
        return Path.of(adapters);
    }

    private static Oracle oracle(String v) {
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "canonical" -> Oracle.CANONICAL;
            case "buggy" -> Oracle.BUGGY;
            default -> throw new MoleLauncher.UsageException("--oracle needs canonical or buggy, got '" + v + "'");
        };
    }

    private static List<String> list(String v) {
        List<String> out = new ArrayList<>(new LinkedHashSet<>(List.of(v.split(","))));
        out.removeIf(String::isBlank);
        if (out.isEmpty()) throw new IllegalArgumentException("an empty list");
        return out;
    }
}
