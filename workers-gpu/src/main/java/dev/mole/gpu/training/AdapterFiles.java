package dev.mole.gpu.training;

import ai.djl.ndarray.NDArray;
import dev.mole.gpu.model.LlamaModel;
import dev.mole.gpu.model.MoleAdapters;
import dev.mole.gpu.model.MoleConfig;
import dev.mole.gpu.model.internal.Tensors;
import dev.mole.gpu.training.internal.F32Safetensors;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One adapter of a model as a file's tensors, in Hugging Face / PEFT orientation: {@code model.layers.L.mlp.PROJ.lora_A.weight}
 * [r, in] and {@code lora_B.weight} [out, r] (the model stores the transposes; transposing is exact).
 */
public final class AdapterFiles {

    private AdapterFiles() {}

    public static Map<String, F32Safetensors.Tensor> tensorsOf(LlamaModel model, String adapter) {
        Map<String, F32Safetensors.Tensor> out = new LinkedHashMap<>();
        for (int l = 0; l < model.config().numLayers(); l++) {
            for (String proj : AdapterParameters.PROJECTIONS) {
                NDArray[] f = MoleAdapters.factorsOf(model, l, proj, adapter);
                int in = (int) f[0].getShape().get(0), r = (int) f[0].getShape().get(1), o = (int) f[1].getShape().get(1);
                String p = "model.layers." + l + ".mlp." + proj;
                out.put(p + ".lora_A.weight", new F32Safetensors.Tensor(new long[] {r, in}, Tensors.transpose(f[0].toFloatArray(), in, r)));
                out.put(p + ".lora_B.weight", new F32Safetensors.Tensor(new long[] {o, r}, Tensors.transpose(f[1].toFloatArray(), r, o)));
            }
        }
        return out;
    }

    /** Writes a file's tensors into an installed adapter of the same name and shape. */
    public static void load(LlamaModel model, String adapter, Map<String, F32Safetensors.Tensor> tensors) {
        for (int l = 0; l < model.config().numLayers(); l++) {
            for (String proj : AdapterParameters.PROJECTIONS) {
                NDArray[] f = MoleAdapters.factorsOf(model, l, proj, adapter);
                String p = "model.layers." + l + ".mlp." + proj;
                F32Safetensors.Tensor a = tensors.get(p + ".lora_A.weight"), b = tensors.get(p + ".lora_B.weight");
                if (a == null || b == null) throw new IllegalArgumentException("adapter file lacks " + p);
                int r = (int) a.shape()[0], in = (int) a.shape()[1], o = (int) b.shape()[0];
                if (r != f[0].getShape().get(1) || in != f[0].getShape().get(0) || o != f[1].getShape().get(1)) {
                    throw new IllegalArgumentException("adapter " + adapter + " at " + p + " has another shape than the model's");
                }
                f[0].set(Tensors.transpose(a.data(), r, in));
                f[1].set(Tensors.transpose(b.data(), o, r));
            }
        }
    }

    public static String fileName(MoleConfig.AdapterSpec a, String language) {
        return "adapter-" + a.name() + (language == null ? "" : "-" + language) + ".safetensors";
    }
}
