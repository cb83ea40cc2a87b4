package dev.mole.deploy;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;

/** {@code ./mole bench NAME [ARGS]}: each benchmark is a main class of the module that owns the code it measures. */
final class Benchmarks {
    private static final Map<String, String> MAINS = Map.of(
            "curation", "dev.mole.orchestrator.curation.CurationBench",
            "sandbox", "dev.mole.sandbox.bench.SandboxBench",
            "model", "dev.mole.gpu.bench.ModelBench",
            "training", "dev.mole.gpu.bench.TrainingBench",
            "generation", "dev.mole.gpu.bench.GenerationBench");

    private Benchmarks() {}

    static int run(List<String> args) throws Exception {
        if (args.isEmpty() || !MAINS.containsKey(args.get(0))) {
            throw new MoleLauncher.UsageException("bench needs one of " + MAINS.keySet());
        }
        String main = MAINS.get(args.get(0));
        Class<?> cls;
        try {
            cls = Class.forName(main);
        } catch (ClassNotFoundException e) {
            throw new MoleLauncher.UsageException("benchmark '" + args.get(0) + "' is not built in this version (" + main + ")");
        }
        Method m = cls.getMethod("main", String[].class);
        m.invoke(null, (Object) args.subList(1, args.size()).toArray(String[]::new));
        return 0;
    }
}
