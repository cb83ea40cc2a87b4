package dev.mole.gpu.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mole.gpu.model.LlamaModel;
import dev.mole.gpu.model.MoleConfig;
import dev.mole.gpu.training.internal.F32Safetensors;
import dev.mole.gpu.training.internal.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Exports a trained single LoRA (AllLang-FT) in Hugging Face PEFT layout: {@code adapter_config.json} and
 * {@code adapter_model.safetensors} with PEFT's names ({@code base_model.model.model.layers.N.mlp.gate_proj.lora_A.weight}).
 *
 * <p>PiSSA moved the top-r components out of the base ({@code W_res = W - U SVt}), so the trained LoRA only reproduces
 * the model on top of W_res. A PEFT user loads the ORIGINAL base, so this export follows PEFT's own PiSSA convention and
 * converts to a plain LoRA against the original base: with {@code s = alpha / sqrt(r)},
 * {@code W_res + s B A = W + s [B | -U/s] [A ; SVt]}, a rank-2r LoRA {@code B' = [B | -U/s]}, {@code A' = [A ; SVt]}
 * whose rsLoRA scale {@code lora_alpha' / sqrt(2r)} equals s when {@code lora_alpha' = alpha * sqrt(2)}.
 * With std init (no residual) the LoRA is exported as is (rank r). A README.md in the folder says this.
 */
public final class PeftExporter {

    public static final String DIR = "peft";

    private PeftExporter() {}

    /** @return file name -> sha256 of what was written under {@code dir} */
    public static Map<String, String> export(LlamaModel model, Path baseDir, Path residualFile, Path dir) throws IOException {
        MoleConfig cfg = model.mole();
        if (cfg == null || cfg.layout() != MoleConfig.Layout.SINGLE) throw new IllegalArgumentException("PEFT export is for a single LoRA");
        MoleConfig.AdapterSpec spec = cfg.adapters().get(0);
        Map<String, F32Safetensors.Tensor> lora = AdapterFiles.tensorsOf(model, spec.name());
        Map<String, F32Safetensors.Tensor> residual = residualFile == null ? Map.of() : F32Safetensors.decode(Files.readAllBytes(residualFile));
        double s = spec.scale();
        int r = spec.rank();
        boolean pissa = !residual.isEmpty();
        Map<String, F32Safetensors.Tensor> out = new LinkedHashMap<>();
        for (int l = 0; l < model.config().numLayers(); l++) {
            for (String proj : AdapterParameters.PROJECTIONS) {
                String p = "model.layers." + l + ".mlp." + proj;
                F32Safetensors.Tensor a = lora.get(p + ".lora_A.weight"), b = lora.get(p + ".lora_B.weight");
                if (pissa) {
                    F32Safetensors.Tensor u = residual.get(p + ".U"), svt = residual.get(p + ".SVt");
                    a = stackRows(a, svt);
                    b = concatColumns(b, u, -1.0 / s);
                }
                out.put("base_model.model." + p + ".lora_A.weight", a);
                out.put("base_model.model." + p + ".lora_B.weight", b);
            }
        }
        Files.createDirectories(dir);
        Map<String, String> files = new LinkedHashMap<>();
        byte[] st = F32Safetensors.encode(out);
        Files.write(dir.resolve("adapter_model.safetensors"), st);
        files.put("adapter_model.safetensors", Sha256.of(st));
        ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode c = om.createObjectNode();
        c.put("peft_type", "LORA").put("task_type", "CAUSAL_LM").put("base_model_name_or_path", baseDir.getFileName().toString());
        c.put("r", pissa ? 2 * r : r).put("lora_alpha", pissa ? spec.alpha() * Math.sqrt(2) : spec.alpha()).put("use_rslora", true);
        c.putArray("target_modules").add("gate_proj").add("up_proj").add("down_proj");
        c.put("lora_dropout", 0.0).put("bias", "none").put("fan_in_fan_out", false).put("inference_mode", true)
                .put("init_lora_weights", true).putNull("modules_to_save");
        byte[] cj = om.writeValueAsBytes(c);
        Files.write(dir.resolve("adapter_config.json"), cj);
        files.put("adapter_config.json", Sha256.of(cj));
        byte[] readme = readme(pissa, r, spec.alpha()).getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve("README.md"), readme);
        files.put("README.md", Sha256.of(readme));
        return files;
    }

    private static String readme(boolean pissa, int r, double alpha) {
        if (!pissa) {
            return "Plain LoRA (standard init): load with PEFT on the unmodified base model.\n";
        }
        return "# AllLang-FT LoRA, PiSSA-initialised, converted for PEFT\n\n"
                + "Training used PiSSA: the base's top-" + r + " singular components were moved into the adapter, so the trained\n"
                + "rank-" + r + " LoRA (adapter-lora.safetensors one folder up) only reproduces the model on the RESIDUAL base.\n"
                + "This folder holds the same model as a rank-" + (2 * r) + " LoRA against the ORIGINAL base (PEFT's own PiSSA\n"
                + "conversion): delta W = s*B*A - s*B0*A0 = s*[B | -B0][A ; A0] with s = lora_alpha/sqrt(r) (rsLoRA), where\n"
                + "s*B0*A0 is the removed rank-" + r + " part. lora_alpha is " + alpha + "*sqrt(2) so the scale is unchanged.\n\n"
                + "Use: PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(<original base>), <this folder>).\n"
                + "Do NOT apply it to a base that already had the residual subtracted.\n";
    }

    private static F32Safetensors.Tensor stackRows(F32Safetensors.Tensor top, F32Safetensors.Tensor bottom) {
        int cols = (int) top.shape()[1];
        if (bottom.shape()[1] != cols) throw new IllegalArgumentException("column mismatch");
        float[] d = new float[top.data().length + bottom.data().length];
        System.arraycopy(top.data(), 0, d, 0, top.data().length);
        System.arraycopy(bottom.data(), 0, d, top.data().length, bottom.data().length);
        return new F32Safetensors.Tensor(new long[] {top.shape()[0] + bottom.shape()[0], cols}, d);
    }

    /** [left | right * factor], both row-major with the same number of rows. */
    private static F32Safetensors.Tensor concatColumns(F32Safetensors.Tensor left, F32Safetensors.Tensor right, double factor) {
        int rows = (int) left.shape()[0], lc = (int) left.shape()[1], rc = (int) right.shape()[1];
        float[] d = new float[rows * (lc + rc)];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(left.data(), i * lc, d, i * (lc + rc), lc);
            for (int j = 0; j < rc; j++) d[i * (lc + rc) + lc + j] = (float) (right.data()[i * rc + j] * factor);
        }
        return new F32Safetensors.Tensor(new long[] {rows, lc + rc}, d);
    }
}
