package dev.mole.gpu.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mole.contracts.training.TrainingMethod;
import dev.mole.contracts.language.Language;
import dev.mole.gpu.model.LlamaModel;
import dev.mole.gpu.model.MoleConfig;
import dev.mole.gpu.model.ModelOptions;
import dev.mole.gpu.model.RecordTokenizer;
import dev.mole.gpu.model.SvdMethod;
import dev.mole.gpu.model.TokenizedSample;
import dev.mole.gpu.model.internal.Tensors;
import dev.mole.gpu.training.internal.F32Safetensors;
import dev.mole.gpu.training.internal.Sha256;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The output folder, loaded back onto the ORIGINAL base, reproduces the trained model; so does the PEFT export. */
class ExportTest {

    static final List<Language> LANGS = List.of(Language.PYTHON, Language.RUST);

    static FineTuner.Job job(TrainingMethod method, MoleConfig cfg) {
        return new FineTuner.Job(method, cfg, SvdMethod.EXACT, TrainingFixtures.hyper(4, 1), 3L, TrainingFixtures.base(),
                TrainingFixtures.splits(LANGS, 6, 1), "synthetic-ds", ModelOptions.defaults());
    }

    /** A validation record: prompt (NL), python code, prose: both routes of MoLE are exercised. */
    static TokenizedSample sample(LlamaModel m) {
        return RecordTokenizer.forModel(m, 256).tokenize(TrainingFixtures.record(0, Language.PYTHON, new java.util.SplittableRandom(5)).record()).orElseThrow();
    }

    static double maxDiff(float[][] a, float[][] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) for (int j = 0; j < a[i].length; j++) d = Math.max(d, Math.abs(a[i][j] - b[i][j]));
        return d;
    }

    @Test
    void moleComponentsLoadedOntoTheOriginalBaseReproduceTheTrainedLogits(@TempDir Path out) throws Exception {
        List<float[][]> trained = new ArrayList<>();
        List<int[][]> inputs = new ArrayList<>();
        FineTuner.Outcome o = FineTuner.run(job(TrainingMethod.MOLE, MoleConfig.mole(48, 16)), null, null, out, m -> {
            TokenizedSample s = sample(m);
            inputs.add(new int[][] {s.ids(), s.routes()});
            trained.add(m.logits(s.ids(), s.routes()));
        });
        // one file per component, the residual factors, and a manifest with every sha256
        List<String> names = new ArrayList<>();
        for (var a : o.manifest().adapters()) names.add(a.file());
        assertThat(names).contains("adapter-shared.safetensors", "adapter-nl.safetensors", "adapter-expert_python.safetensors");
        assertThat(names).hasSize(1 + 8 + 1);
        assertThat(o.manifest().residualFile()).isEqualTo("base-residual-factors.safetensors");
        JsonNode m = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
        assertThat(m.get("method").asText()).isEqualTo("MOLE");
        assertThat(m.get("datasetId").asText()).isEqualTo("synthetic-ds");
        assertThat(m.get("seed").asLong()).isEqualTo(3L);
        assertThat(m.get("baseModelSha256").asText()).isEqualTo(BaseModelHash.of(TrainingFixtures.base()));
        for (var f : m.get("files").properties()) assertThat(Sha256.of(out.resolve(f.getKey()))).isEqualTo(f.getValue().asText());
        Map<String, F32Safetensors.Tensor> shared = F32Safetensors.decode(Files.readAllBytes(out.resolve("adapter-shared.safetensors")));
        assertThat(shared.get("model.layers.1.mlp.down_proj.lora_A.weight").shape()).containsExactly(48, 176);
        assertThat(shared.get("model.layers.1.mlp.down_proj.lora_B.weight").shape()).containsExactly(64, 48);

        try (LlamaModel loaded = TrainedModels.load(TrainingFixtures.base(), out, ModelOptions.defaults(), null)) {
            float[][] again = loaded.logits(inputs.get(0)[0], inputs.get(0)[1]);
            double d = maxDiff(trained.get(0), again);
            System.out.println("MoLE reload max |logit diff| = " + d);
            assertThat(d).isLessThan(1e-5);
        }
        // a damaged file is refused, not silently loaded
        byte[] b = Files.readAllBytes(out.resolve("adapter-nl.safetensors"));
        b[b.length - 1] ^= 1;
        Files.write(out.resolve("adapter-nl.safetensors"), b);
        assertThatThrownBy(() -> TrainedModels.load(TrainingFixtures.base(), out, ModelOptions.defaults(), null))
                .hasMessageContaining("adapter-nl.safetensors");
    }

    @Test
    void allLangPeftExportIsAPlainLoraOnTheOriginalBase(@TempDir Path out) throws Exception {
        List<float[][]> trained = new ArrayList<>();
        List<int[]> ids = new ArrayList<>();
        FineTuner.run(job(TrainingMethod.ALL_LANG, MoleConfig.single(64)), null, null, out, m -> {
            TokenizedSample s = sample(m);
            ids.add(s.ids());
            trained.add(m.logits(s.ids(), s.routes()));
        });
        JsonNode cfg = new ObjectMapper().readTree(out.resolve("peft/adapter_config.json").toFile());
        assertThat(cfg.get("r").asInt()).isEqualTo(128);
        assertThat(cfg.get("use_rslora").asBoolean()).isTrue();
        assertThat(cfg.get("lora_alpha").asDouble()).isEqualTo(32 * Math.sqrt(2));
        assertThat(cfg.get("target_modules").toString()).isEqualTo("[\"gate_proj\",\"up_proj\",\"down_proj\"]");
        Map<String, F32Safetensors.Tensor> peft = F32Safetensors.decode(Files.readAllBytes(out.resolve("peft/adapter_model.safetensors")));
        assertThat(peft).containsKey("base_model.model.model.layers.0.mlp.gate_proj.lora_A.weight");
        double scale = cfg.get("lora_alpha").asDouble() / Math.sqrt(cfg.get("r").asInt());

        // what PEFT does with it: W + scale * B A merged into the UNMODIFIED base, then a plain forward
        try (LlamaModel base = LlamaModel.load(TrainingFixtures.base())) {
            Map<String, NDArray> w = base.weights();
            for (int l = 0; l < 2; l++) {
                for (String proj : AdapterParameters.PROJECTIONS) {
                    String p = "model.layers." + l + ".mlp." + proj;
                    F32Safetensors.Tensor a = peft.get("base_model.model." + p + ".lora_A.weight"), b = peft.get("base_model.model." + p + ".lora_B.weight");
                    int r = (int) a.shape()[0], in = (int) a.shape()[1], o = (int) b.shape()[0];
                    try (NDManager s = base.manager().newSubManager()) {
                        NDArray aT = s.create(Tensors.transpose(a.data(), r, in), new Shape(in, r));
                        NDArray bT = s.create(Tensors.transpose(b.data(), o, r), new Shape(r, o));
                        NDArray merged = aT.matMul(bT).mul((float) scale).add(Tensors.viewIn(w.get(p + ".weight"), s));
                        w.get(p + ".weight").set(merged.toFloatArray());
                    }
                }
            }
            float[][] peftLogits = base.logits(ids.get(0), null);
            double d = maxDiff(trained.get(0), peftLogits);
            System.out.println("PEFT (rank-2r conversion on the original base) max |logit diff| = " + d);
            assertThat(d).isLessThan(1e-3);
            // the conversion matters: the trained rank-r LoRA alone on the original base is a different model
            try (LlamaModel base2 = LlamaModel.load(TrainingFixtures.base())) {
                Map<String, F32Safetensors.Tensor> lora = F32Safetensors.decode(Files.readAllBytes(out.resolve("adapter-lora.safetensors")));
                Map<String, NDArray> w2 = base2.weights();
                for (int l = 0; l < 2; l++) {
                    for (String proj : AdapterParameters.PROJECTIONS) {
                        String p = "model.layers." + l + ".mlp." + proj;
                        F32Safetensors.Tensor a = lora.get(p + ".lora_A.weight"), b = lora.get(p + ".lora_B.weight");
                        int r = (int) a.shape()[0], in = (int) a.shape()[1], o = (int) b.shape()[0];
                        try (NDManager s = base2.manager().newSubManager()) {
                            NDArray delta = s.create(Tensors.transpose(a.data(), r, in), new Shape(in, r))
                                    .matMul(s.create(Tensors.transpose(b.data(), o, r), new Shape(r, o))).mul((float) (32 / Math.sqrt(64)));
                            w2.get(p + ".weight").set(delta.add(Tensors.viewIn(w2.get(p + ".weight"), s)).toFloatArray());
                        }
                    }
                }
                assertThat(maxDiff(trained.get(0), base2.logits(ids.get(0), null))).isGreaterThan(1e-2);
            }
        }
    }
}
