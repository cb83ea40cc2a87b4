package dev.mole.gpu.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
            JsonNode m = new ObjectMapper().readTree(outputDir.resolve(OutputManifest.FILE).toFile());
            if (!OutputManifest.FORMAT.equals(m.path("format").asText())) throw new IllegalArgumentException("not a trained-model manifest");
            for (var it = m.get("files").fields(); it.hasNext(); ) {
                var e = it.next();
                String actual = Sha256.of(outputDir.resolve(e.getKey()));
                if (!actual.equals(e.getValue().asText())) throw new IllegalStateException("file " + e.getKey() + " does not match its sha256");
            }
            String method = m.get("method").asText();
            if (method.equals("FULL_FT")) return LlamaModel.load(outputDir, options);
            if (!BaseModelHash.of(baseDir).equals(m.get("baseModelSha256").asText())) {
                throw new IllegalArgumentException("base model at " + baseDir + " is not the one these adapters were trained on");
            }
            LlamaModel model = LlamaModel.load(baseDir, options);
            if (method.equals("NO_FT")) return model;
            if (method.equals("MULTIPL_MOE")) return withExperts(model, m, outputDir);
            try {
                MoleConfig cfg = config(m);
                // std init installs adapters of the right names and shapes and leaves W untouched: both are overwritten below
                MoleAdapters.install(model, cfg.withInit(AdapterInit.STD));
                if (m.hasNonNull("residualFile")) {
                    var f = F32Safetensors.decode(Files.readAllBytes(outputDir.resolve(m.get("residualFile").asText())));
                    Map<String, ai.djl.ndarray.NDArray> w = model.weights();
                    for (int l = 0; l < model.config().numLayers(); l++) {
                        for (String proj : AdapterParameters.PROJECTIONS) {
                            String p = "model.layers." + l + ".mlp." + proj;
                            ResidualFactors.applyTo(w.get(p + ".weight"), f.get(p + ".U"), f.get(p + ".SVt"));
                        }
                    }
                }
                for (JsonNode a : m.get("adapters")) {
                    if (method.equals("PER_LANG") && !a.path("language").asText().equals(language)) continue;
                    var t = F32Safetensors.decode(Files.readAllBytes(outputDir.resolve(a.get("file").asText())));
                    AdapterFiles.load(model, a.get("name").asText(), t);
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
    private static LlamaModel withExperts(LlamaModel model, JsonNode m, Path outputDir) throws IOException {
        try {
            ObjectMapper om = new ObjectMapper();
            OutputManifest.Moe moe = om.treeToValue(m.get("moe"), OutputManifest.Moe.class);
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

    static MoleConfig config(JsonNode m) {
        MoleConfig.Layout layout = MoleConfig.Layout.valueOf(m.get("layout").asText());
        double sharedAlpha = 0, expertAlpha = 0, nlAlpha = 0;
        for (JsonNode a : m.get("adapters")) {
            String n = a.get("name").asText();
            double alpha = a.get("alpha").asDouble();
            if (n.equals("shared") || n.equals("lora")) sharedAlpha = alpha;
            else if (n.equals("nl")) nlAlpha = alpha;
            else if (n.startsWith("expert_")) expertAlpha = alpha;
        }
        return new MoleConfig(layout, m.get("sharedRank").asInt(), m.get("expertRank").asInt(), sharedAlpha, expertAlpha, nlAlpha,
                AdapterInit.valueOf(m.get("init").asText()), m.get("adapterSeed").asLong());
    }
}
