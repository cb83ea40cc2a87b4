package dev.mole.gpu.training;

import dev.mole.contracts.training.AdapterManifest;
import dev.mole.gpu.model.AdapterInit;
import dev.mole.gpu.model.LlamaModel;
import dev.mole.gpu.model.MoleAdapters;
import dev.mole.gpu.model.MoleConfig;
import dev.mole.gpu.model.ModelOptions;
import dev.mole.gpu.model.MultiplMoe;
import dev.mole.gpu.training.internal.F32Safetensors;
import dev.mole.gpu.training.internal.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import dev.mole.contracts.language.Language;

/**
 * Loads a trained output folder back onto the ORIGINAL base model: checks the base hash and every file's sha256,
 * rebuilds W_res from the stored rank-k factors, and loads each adapter file. No SVD runs at load time.
 */
public final class TrainedModels {

    private TrainedModels() {}

    /**
     * @param language for PER_LANG, the language whose LoRA to load; ignored otherwise
     */
    public static LlamaModel load(Path baseDir, Path outputDir, ModelOptions options, String language) {
        return load(baseDir, outputDir, options, language, null);
    }

    /**
     * Loads a MoLE output of which only some experts were downloaded (a registry download plan for {@code experts}):
     * the residual factors, shared and nl adapters and the listed experts must be in {@code folder} and match their
     * sha256; every other expert stays at zero (B = 0), so tokens routed to a language that was not downloaded get the
     * shared adapter alone, and Python-routed and NL tokens get exactly what the whole model computes.
     */
    public static LlamaModel loadExperts(Path baseDir, Path folder, ModelOptions options, Set<Language> experts) {
        return load(baseDir, folder, options, null, experts);
    }

    private static LlamaModel load(Path baseDir, Path outputDir, ModelOptions options, String language, Set<Language> experts) {
        try {
            AdapterManifest m = AdapterManifest.parse(Files.readAllBytes(outputDir.resolve(AdapterManifest.FILE)));
            if (experts != null && !"MOLE".equals(m.method())) {
                throw new IllegalArgumentException("only a MoLE model loads a choice of experts; this is " + m.method());
            }
            for (AdapterManifest.Component c : m.components()) {
                boolean needed = experts == null || c.kind() != AdapterManifest.ComponentKind.EXPERT || experts.contains(c.language());
                if (c.kind() == AdapterManifest.ComponentKind.PEFT && experts != null) needed = false;
                if (!needed) continue;
                Path f = outputDir.resolve(c.file());
                if (!Files.isRegularFile(f)) throw new IllegalArgumentException(outputDir + " lacks " + c.file() + ", which the model needs");
                if (!Sha256.of(f).equals(c.sha256())) throw new IllegalStateException("file " + c.file() + " does not match its sha256");
            }
            String method = m.method();
            if (method.equals("FULL_FT")) return LlamaModel.load(outputDir, options);
            if (!BaseModelHash.of(baseDir).equals(m.baseModelSha256())) {
                throw new IllegalArgumentException("base model at " + baseDir + " is not the one these adapters were trained on");
            }
            LlamaModel model = LlamaModel.load(baseDir, options);
            if (method.equals("NO_FT")) return model;
            if (method.equals("MULTIPL_MOE")) return withExperts(model, m, outputDir);
            try {
                MoleConfig cfg = config(m);
                // std init installs adapters of the right names and shapes with B = 0 and leaves W untouched: what is
                // loaded below overwrites them; an expert not loaded stays a zero update
                MoleAdapters.install(model, cfg.withInit(AdapterInit.STD));
                if (m.residualFile() != null) {
                    var f = F32Safetensors.decode(Files.readAllBytes(outputDir.resolve(m.residualFile())));
                    Map<String, ai.djl.ndarray.NDArray> w = model.weights();
                    for (int l = 0; l < model.config().numLayers(); l++) {
                        for (String proj : AdapterParameters.PROJECTIONS) {
                            String p = "model.layers." + l + ".mlp." + proj;
                            ResidualFactors.applyTo(w.get(p + ".weight"), f.get(p + ".U"), f.get(p + ".SVt"));
                        }
                    }
                }
                for (AdapterManifest.Adapter a : m.adapters()) {
                    if (method.equals("PER_LANG") && !language.equals(a.language())) continue;
                    if (experts != null && a.expertLanguage().isPresent() && !experts.contains(a.expertLanguage().get())) continue;
                    var t = F32Safetensors.decode(Files.readAllBytes(outputDir.resolve(a.file())));
                    AdapterFiles.load(model, a.name(), t);
                }
                return model;
            } catch (RuntimeException e) {
                model.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Upcycles the base with the manifest's settings, then overwrites every router and expert with the trained values. */
    private static LlamaModel withExperts(LlamaModel model, AdapterManifest m, Path outputDir) throws IOException {
        try {
            AdapterManifest.Moe moe = m.moe();
            if (moe == null) {
                throw new IllegalArgumentException("a MULTIPL_MOE manifest without its moe section");
            }
            MultiplMoe.upcycle(model, moe.settings(), 0L);
            var t = F32Safetensors.decode(Files.readAllBytes(outputDir.resolve(moe.file())));
            Map<String, ai.djl.ndarray.NDArray> params = MultiplMoe.trainable(model);
            if (!t.keySet().equals(params.keySet())) {
                throw new IllegalArgumentException("the MultiPL-MoE file holds other arrays than its settings build (" + t.size() + " vs " + params.size() + ")");
            }
            for (var e : params.entrySet()) {
                var v = t.get(e.getKey());
                if (!java.util.Arrays.equals(v.shape(), e.getValue().getShape().getShape())) {
                    throw new IllegalArgumentException(e.getKey() + " has shape " + java.util.Arrays.toString(v.shape()) + ", the model's is "
                            + e.getValue().getShape());
                }
                e.getValue().set(v.data());
            }
            return model;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    static MoleConfig config(AdapterManifest m) {
        MoleConfig.Layout layout = MoleConfig.Layout.valueOf(m.layout());
        double sharedAlpha = 0, expertAlpha = 0, nlAlpha = 0;
        for (AdapterManifest.Adapter a : m.adapters()) {
            String n = a.name();
            double alpha = a.alpha();
            if (n.equals("shared") || n.equals("lora")) sharedAlpha = alpha;
            else if (n.equals("nl")) nlAlpha = alpha;
            else if (n.startsWith("expert_")) expertAlpha = alpha;
        }
        return new MoleConfig(layout, m.sharedRank(), m.expertRank(), sharedAlpha, expertAlpha, nlAlpha,
                AdapterInit.valueOf(m.init()), m.adapterSeed());
    }
}
