package dev.mole.gpu.training;

import dev.mole.contracts.training.AdapterManifest;
import dev.mole.gpu.model.AdapterInit;
import dev.mole.gpu.model.LlamaModel;
import dev.mole.gpu.model.MoleAdapters;
import dev.mole.gpu.model.MoleConfig;
import dev.mole.gpu.model.ModelOptions;
import dev.mole.gpu.training.internal.F32Safetensors;
import dev.mole.gpu.training.internal.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

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
        try {
            AdapterManifest m = AdapterManifest.parse(Files.readAllBytes(outputDir.resolve(AdapterManifest.FILE)));
            for (var e : m.files().entrySet()) {
                String actual = Sha256.of(outputDir.resolve(e.getKey()));
                if (!actual.equals(e.getValue())) throw new IllegalStateException("file " + e.getKey() + " does not match its sha256");
            }
            String method = m.method();
            if (method.equals("FULL_FT")) return LlamaModel.load(outputDir, options);
            if (!BaseModelHash.of(baseDir).equals(m.baseModelSha256())) {
                throw new IllegalArgumentException("base model at " + baseDir + " is not the one these adapters were trained on");
            }
            LlamaModel model = LlamaModel.load(baseDir, options);
            if (method.equals("NO_FT")) return model;
            try {
                MoleConfig cfg = config(m);
                // std init installs adapters of the right names and shapes and leaves W untouched: both are overwritten below
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
