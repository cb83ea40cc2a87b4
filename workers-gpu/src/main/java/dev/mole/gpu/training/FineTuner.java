package dev.mole.gpu.training;

import dev.mole.contracts.training.AdapterManifest;
import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.mole.contracts.training.LossCurve;
import dev.mole.contracts.training.TrainingHyperParameters;
import dev.mole.contracts.training.MoeSettings;
import dev.mole.contracts.training.TrainingMethod;
import dev.mole.contracts.language.Language;
import dev.mole.gpu.model.AdapterInit;
import dev.mole.gpu.model.LlamaModel;
import dev.mole.gpu.model.MoleAdapters;
import dev.mole.gpu.model.MoleConfig;
import dev.mole.gpu.model.MultiplMoe;
import dev.mole.gpu.model.ModelOptions;
import dev.mole.gpu.model.PissaFactors;
import dev.mole.gpu.model.RecordTokenizer;
import dev.mole.gpu.model.SvdMethod;
import dev.mole.gpu.model.internal.Tensors;
import dev.mole.gpu.training.internal.F32Safetensors;
import dev.mole.gpu.training.internal.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs one method of the paper end to end on local files: load the base, install what trains, run the
 * {@link TrainingLoop}(s), and write the output folder (per-component safetensors, residual factors, PEFT export for
 * AllLang-FT, {@value AdapterManifest#FILE}).
 */
public final class FineTuner {

    /**
     * @param adapters layout, ranks, alphas and init for MOLE (any variant) and ALL_LANG / PER_LANG (a SINGLE layout);
     *                 ignored for FULL_FT / NO_FT
     * @param factors  the base's PiSSA factors (the SVD stage's, read from its store), of {@code svd} and of k = the
     *                 union rank; null computes them here, once for the whole job
     */
    public record Job(TrainingMethod method, MoleConfig adapters, SvdMethod svd, TrainingHyperParameters hyper, long seed,
                      Path baseDir, DatasetShards.Splits data, String datasetId, ModelOptions options, PissaFactors factors,
                      MoeSettings moe) {

        public Job(TrainingMethod method, MoleConfig adapters, SvdMethod svd, TrainingHyperParameters hyper, long seed,
                   Path baseDir, DatasetShards.Splits data, String datasetId, ModelOptions options, PissaFactors factors) {
            this(method, adapters, svd, hyper, seed, baseDir, data, datasetId, options, factors, null);
        }

        /** A MULTIPL_MOE job ({@code moe} null: the paper's settings). */
        public static Job multiplMoe(MoeSettings moe, TrainingHyperParameters hyper, long seed, Path baseDir, DatasetShards.Splits data,
                                     String datasetId, ModelOptions options) {
            return new Job(TrainingMethod.MULTIPL_MOE, null, SvdMethod.DEFAULT, hyper, seed, baseDir, data, datasetId, options, null,
                    MoeSettings.forMethod(TrainingMethod.MULTIPL_MOE, moe));
        }

        public Job(TrainingMethod method, MoleConfig adapters, SvdMethod svd, TrainingHyperParameters hyper, long seed,
                   Path baseDir, DatasetShards.Splits data, String datasetId, ModelOptions options) {
            this(method, adapters, svd, hyper, seed, baseDir, data, datasetId, options, null);
        }
    }

    /** Validation maps are keyed by sub-run: "main", or the language tag for PER_LANG. */
    public record Outcome(Path outputDir, AdapterManifest manifest, long steps, long resumedFromStep, double lastLoss,
                          Map<String, Map<String, Double>> initialValidation, Map<String, Map<String, Double>> finalValidation,
                          Map<String, List<LossCurve.Point>> lossCurves, Map<String, List<LossCurve.ValidationPoint>> validationCurves) {}

    /** Checkpoint store per sub-run ("main" or "perlang-<tag>"); may return null for no checkpoints. */
    @FunctionalInterface
    public interface Stores {
        CheckpointStore forPhase(String phase);

        Stores NONE = p -> null;
    }

    /**
     * Padded tokens per forward pass (length bucketing) on an accelerator, where batching is what keeps it busy. On CPU
     * one sequence per pass is faster (measured with TrainingBench, hidden 384, 1 torch thread: 983 vs 851 tokens/s for
     * MoLE-48+16 and 1429 vs 1001 for AllLang-FT with 2048), so the CPU default is 0.
     */
    public static final int GPU_TOKEN_BUDGET = 4096;

    /** The bucketing budget for a model's device: {@link #GPU_TOKEN_BUDGET} on a GPU, 0 (no padding at all) on CPU. */
    public static int tokenBudget(LlamaModel model) {
        return model.device().isGpu() ? GPU_TOKEN_BUDGET : 0;
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private FineTuner() {}

    public static Outcome run(Job job, Stores stores, ProgressListener progress, Path outDir) {
        return run(job, stores, progress, outDir, m -> {});
    }

    /**
     * @param trained called with each trained model (once per language for PER_LANG) before it is closed: evaluation,
     *                generation, or a test's reference logits
     */
    public static Outcome run(Job job, Stores stores, ProgressListener progress, Path outDir, java.util.function.Consumer<LlamaModel> trained) {
        java.util.function.Consumer<LlamaModel> inspect = trained == null ? m -> {} : trained;
        ProgressListener listener = progress == null ? ProgressListener.NONE : progress;
        stores = stores == null ? Stores.NONE : stores;
        try {
            Files.createDirectories(outDir);
            return switch (job.method()) {
                case MOLE, ALL_LANG -> adapters(job, stores, listener, outDir, inspect);
                case PER_LANG -> perLanguage(job, stores, listener, outDir, inspect);
                case FULL_FT -> full(job, stores, listener, outDir, inspect);
                case NO_FT -> none(job, listener, outDir);
                case MULTIPL_MOE -> multiplMoe(job, stores, listener, outDir, inspect);
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Tokenised examples (records whose answer would start beyond the maximum length are dropped, as curation rules say). */
    public static List<TrainingExample> tokenize(LlamaModel model, List<TrainingRecord> records, int maxLength) {
        RecordTokenizer tok = RecordTokenizer.forModel(model, maxLength);
        List<TrainingExample> out = new ArrayList<>(records.size());
        for (TrainingRecord r : records) tok.tokenize(r.record()).ifPresent(s -> out.add(new TrainingExample(r.id(), r.language(), s)));
        return out;
    }

    private static Outcome adapters(Job job, Stores stores, ProgressListener listener, Path outDir,
                                   java.util.function.Consumer<LlamaModel> inspect) throws IOException {
        MoleConfig cfg = job.adapters();
        if (job.method() == TrainingMethod.ALL_LANG && cfg.layout() != MoleConfig.Layout.SINGLE) {
            throw new IllegalArgumentException("ALL_LANG trains one LoRA: use a SINGLE layout");
        }
        PissaFactors factors = pissaFactors(job, cfg);
        try (LlamaModel model = LlamaModel.load(job.baseDir(), job.options())) {
            MoleAdapters.install(model, cfg, factors);
            TrainingLoop loop = loop(job, model, AdapterParameters.of(model), job.data().train(), job.data().validation(),
                    stores.forPhase("main"), listener, "train");
            TrainingLoop.Result r = loop.run();
            inspect.accept(model);
            Map<String, String> files = new TreeMap<>();
            List<AdapterManifest.Adapter> specs = new ArrayList<>();
            for (MoleConfig.AdapterSpec a : cfg.adapters()) {
                String f = AdapterFiles.fileName(a, null);
                write(outDir, f, F32Safetensors.encode(AdapterFiles.tensorsOf(model, a.name())), files);
                specs.add(new AdapterManifest.Adapter(a.name(), null, a.rank(), a.alpha(), a.scale(), f));
            }
            String residual = writeResidual(cfg, factors, outDir, files);
            if (job.method() == TrainingMethod.ALL_LANG) {
                PeftExporter.export(model, job.baseDir(), residual == null ? null : outDir.resolve(residual), outDir.resolve(PeftExporter.DIR))
                        .forEach((name, sha) -> files.put(PeftExporter.DIR + "/" + name, sha));
            }
            var m = manifest(job, cfg, specs, residual, r.steps(), r.skippedSteps(), Map.of("main", r.finalValidation()), files);
            return finish(outDir, m, r.steps(), r.resumedFromStep(), r.lastLoss(), Map.of("main", r.initialValidation()), Map.of("train", r));
        }
    }

    /**
     * The job's factors, or the top k computed once here (not per language, and not a second time for the residual);
     * null for std init.
     */
    private static PissaFactors pissaFactors(Job job, MoleConfig cfg) {
        if (cfg.init() == AdapterInit.STD) return null;
        PissaFactors f = job.factors();
        if (f == null) return PissaFactors.compute(job.baseDir(), cfg.unionRank(), job.svd(), job.options(), null);
        if (f.rank() != cfg.unionRank() || f.method() != job.svd()) {
            throw new IllegalArgumentException("stored SVD factors are the top " + f.rank() + " by " + f.method() + "; this run needs the top "
                    + cfg.unionRank() + " by " + job.svd());
        }
        return f;
    }

    private static Outcome perLanguage(Job job, Stores stores, ProgressListener listener, Path outDir,
                                   java.util.function.Consumer<LlamaModel> inspect) throws IOException {
        MoleConfig cfg = job.adapters();
        if (cfg.layout() != MoleConfig.Layout.SINGLE) throw new IllegalArgumentException("PER_LANG trains one LoRA per language: SINGLE layout");
        Map<String, String> files = new TreeMap<>();
        List<AdapterManifest.Adapter> specs = new ArrayList<>();
        Map<String, Map<String, Double>> initial = new TreeMap<>(), fin = new TreeMap<>();
        long steps = 0, resumed = 0;
        double last = Double.NaN;
        String residual = null;
        Map<String, TrainingLoop.Result> phases = new TreeMap<>();
        PissaFactors factors = pissaFactors(job, cfg);
        for (Language lang : Language.values()) {
            List<TrainingRecord> tr = job.data().train().stream().filter(x -> x.language() == lang).toList();
            if (tr.isEmpty()) continue; // no data: no adapter for this language
            List<TrainingRecord> va = job.data().validation().stream().filter(x -> x.language() == lang).toList();
            try (LlamaModel model = LlamaModel.load(job.baseDir(), job.options())) {
                MoleAdapters.install(model, cfg, factors);
                TrainingLoop.Result r = loop(job, model, AdapterParameters.of(model), tr, va, stores.forPhase("perlang-" + lang.id()),
                        listener, "train:" + lang.id()).run();
                inspect.accept(model);
                MoleConfig.AdapterSpec a = cfg.adapters().get(0);
                String f = AdapterFiles.fileName(a, lang.id());
                write(outDir, f, F32Safetensors.encode(AdapterFiles.tensorsOf(model, a.name())), files);
                specs.add(new AdapterManifest.Adapter(a.name(), lang.id(), a.rank(), a.alpha(), a.scale(), f));
                // every language's LoRA starts from the same SVD of the same base: one residual file serves all
                if (residual == null) residual = writeResidual(cfg, factors, outDir, files);
                steps += r.steps();
                resumed += r.resumedFromStep();
                last = r.lastLoss();
                initial.put(lang.id(), r.initialValidation());
                fin.put(lang.id(), r.finalValidation());
                phases.put("train:" + lang.id(), r);
            }
        }
        long skipped = phases.values().stream().mapToLong(TrainingLoop.Result::skippedSteps).sum();
        var m = manifest(job, cfg, specs, residual, steps, skipped, fin, files);
        return finish(outDir, m, steps, resumed, last, initial, phases);
    }

    private static Outcome full(Job job, Stores stores, ProgressListener listener, Path outDir,
                                   java.util.function.Consumer<LlamaModel> inspect) throws IOException {
        try (LlamaModel model = LlamaModel.load(job.baseDir(), job.options())) {
            TrainingLoop.Result r = loop(job, model, model.weights(), job.data().train(), job.data().validation(),
                    stores.forPhase("main"), listener, "train").run();
            inspect.accept(model);
            // the output is a complete Hugging Face checkpoint: LlamaModel.load(outDir) reads it
            Map<String, F32Safetensors.Tensor> ts = new LinkedHashMap<>();
            for (var e : model.weights().entrySet()) {
                NDArray w = e.getValue();
                long[] s = w.getShape().getShape();
                boolean linear = s.length == 2 && !e.getKey().equals("model.embed_tokens.weight");
                ts.put(e.getKey(), linear
                        ? new F32Safetensors.Tensor(new long[] {s[1], s[0]}, Tensors.transpose(w.toFloatArray(), (int) s[0], (int) s[1]))
                        : new F32Safetensors.Tensor(s, w.toFloatArray()));
            }
            Map<String, String> files = new TreeMap<>();
            write(outDir, "model.safetensors", F32Safetensors.encode(ts), files);
            for (String f : List.of("config.json", "tokenizer.json", "tokenizer_config.json")) {
                Path src = job.baseDir().resolve(f);
                if (Files.isRegularFile(src)) {
                    Files.copy(src, outDir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
                    files.put(f, Sha256.of(outDir.resolve(f)));
                }
            }
            var m = manifest(job, null, List.of(), null, r.steps(), r.skippedSteps(), Map.of("main", r.finalValidation()), files);
            return finish(outDir, m, r.steps(), r.resumedFromStep(), r.lastLoss(), Map.of("main", r.initialValidation()), Map.of("train", r));
        }
    }

    /** File of a MultiPL-MoE model's trained routers and experts ({@link AdapterManifest.Moe}). */
    public static final String MOE_FILE = "multipl-moe.safetensors";

    private static Outcome multiplMoe(Job job, Stores stores, ProgressListener listener, Path outDir,
                                      java.util.function.Consumer<LlamaModel> inspect) throws IOException {
        MoeSettings s = MoeSettings.forMethod(TrainingMethod.MULTIPL_MOE, job.moe());
        s.checkMaxLength(job.hyper().maxLength()); // before the base is even loaded
        try (LlamaModel model = LlamaModel.load(job.baseDir(), job.options())) {
            MultiplMoe.upcycle(model, s, job.seed());
            TrainingLoop.Result r = loop(job, model, MultiplMoe.trainable(model), job.data().train(), job.data().validation(),
                    stores.forPhase("main"), listener, "train").run();
            inspect.accept(model);
            Map<String, F32Safetensors.Tensor> ts = new LinkedHashMap<>();
            long count = 0;
            for (var e : MultiplMoe.trainable(model).entrySet()) {
                float[] v = Tensors.floats(e.getValue());
                ts.put(e.getKey(), new F32Safetensors.Tensor(e.getValue().getShape().getShape(), v));
                count += v.length;
            }
            Map<String, String> files = new TreeMap<>();
            write(outDir, MOE_FILE, F32Safetensors.encode(ts), files);
            var m = manifest(job, null, List.of(), null, r.steps(), r.skippedSteps(), Map.of("main", r.finalValidation()), files,
                    new AdapterManifest.Moe(s, MOE_FILE, count));
            return finish(outDir, m, r.steps(), r.resumedFromStep(), r.lastLoss(), Map.of("main", r.initialValidation()), Map.of("train", r));
        }
    }

    private static Outcome none(Job job, ProgressListener listener, Path outDir) throws IOException {
        try (LlamaModel model = LlamaModel.load(job.baseDir(), job.options())) {
            var val = TrainingLoop.evaluate(model, tokenize(model, job.data().validation(), job.hyper().maxLength()));
            listener.onProgress(dev.mole.contracts.training.TrainingProgress.of("evaluate:done", 0, 0, 0, Double.NaN, 0, 0, val, 0));
            var m = manifest(job, null, List.of(), null, 0, 0, Map.of("main", val), new TreeMap<>());
            return finish(outDir, m, 0, 0, Double.NaN, Map.of("main", val), Map.of());
        }
    }

    private static TrainingLoop loop(Job job, LlamaModel model, Map<String, NDArray> trainable, List<TrainingRecord> train,
                                     List<TrainingRecord> val, CheckpointStore store, ProgressListener l, String phase) {
        int max = job.hyper().maxLength();
        return new TrainingLoop(model, trainable, job.hyper(), job.seed(), tokenize(model, train, max), tokenize(model, val, max),
                store, l, phase).withTokenBudget(tokenBudget(model));
    }

    private static String writeResidual(MoleConfig cfg, PissaFactors factors, Path outDir, Map<String, String> files) throws IOException {
        if (factors == null) return null; // std init: W_res = W
        var t = ResidualFactors.of(factors, cfg.unionRank());
        write(outDir, "base-residual-factors.safetensors", F32Safetensors.encode(t), files);
        return "base-residual-factors.safetensors";
    }

    private static void write(Path dir, String name, byte[] data, Map<String, String> files) throws IOException {
        Files.write(dir.resolve(name), data);
        files.put(name, Sha256.of(data));
    }

    private static AdapterManifest manifest(Job job, MoleConfig cfg, List<AdapterManifest.Adapter> adapters, String residual,
                                           long steps, long skipped, Map<String, Map<String, Double>> val, Map<String, String> files) {
        return manifest(job, cfg, adapters, residual, steps, skipped, val, files, null);
    }

    private static AdapterManifest manifest(Job job, MoleConfig cfg, List<AdapterManifest.Adapter> adapters, String residual,
                                           long steps, long skipped, Map<String, Map<String, Double>> val, Map<String, String> files,
                                           AdapterManifest.Moe moe) {
        String base = BaseModelHash.of(job.baseDir());
        // the key whether the factors were read from the store or computed here: the same key names the same values
        String svdKey = residual == null ? null : SvdFactorStore.key(base, cfg.unionRank(), job.svd());
        return new AdapterManifest(AdapterManifest.FORMAT, job.method().name(), cfg == null ? null : cfg.layout().name(),
                cfg == null ? null : cfg.init().name(), cfg == null ? null : job.svd().name(),
                cfg == null ? 0 : cfg.sharedRank(), cfg == null ? 0 : cfg.expertRank(), cfg == null ? 0 : cfg.seed(), adapters, residual,
                svdKey, base, job.datasetId(), job.seed(), job.hyper(), steps, skipped, val, files, moe);
    }

    private static Outcome finish(Path outDir, AdapterManifest m, long steps, long resumed, double last,
                                  Map<String, Map<String, Double>> initial, Map<String, TrainingLoop.Result> phases) throws IOException {
        JSON.writeValue(outDir.resolve(AdapterManifest.FILE).toFile(), m);
        Map<String, List<LossCurve.Point>> curves = new TreeMap<>();
        Map<String, List<LossCurve.ValidationPoint>> validation = new TreeMap<>();
        phases.forEach((phase, r) -> {
            curves.put(phase, r.lossCurve());
            validation.put(phase, r.validationCurve());
        });
        return new Outcome(outDir, m, steps, resumed, last, initial, m.validationLoss(), curves, validation);
    }
}
