package dev.mole.gpu.training;

import ai.djl.ndarray.NDArray;
import dev.mole.gpu.model.LlamaModel;
import dev.mole.gpu.model.MoleAdapters;
import dev.mole.gpu.model.MoleConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trainable arrays of installed adapters, named {@code model.layers.L.mlp.PROJ.ADAPTER.aT|bT} (stored transposed:
 * aT [in, r], bT [r, out]); the order is fixed (layer, projection, adapter) so checkpoints and exports line up.
 */
public final class AdapterParameters {

    public static final List<String> PROJECTIONS = List.of("gate_proj", "up_proj", "down_proj");

    private AdapterParameters() {}

    public static Map<String, NDArray> of(LlamaModel model) {
        MoleConfig cfg = model.mole();
        if (cfg == null) throw new IllegalStateException("no adapters installed");
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (int l = 0; l < model.config().numLayers(); l++) {
            for (String proj : PROJECTIONS) {
                for (MoleConfig.AdapterSpec a : cfg.adapters()) {
                    NDArray[] f = MoleAdapters.factorsOf(model, l, proj, a.name());
                    out.put(name(l, proj, a.name()) + ".aT", f[0]);
                    out.put(name(l, proj, a.name()) + ".bT", f[1]);
                }
            }
        }
        return out;
    }

    public static String name(int layer, String proj, String adapter) {
        return "model.layers." + layer + ".mlp." + proj + "." + adapter;
    }

    /** The arrays of one adapter only (e.g. to check which experts moved). */
    public static Map<String, NDArray> ofAdapter(LlamaModel model, String adapter) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        of(model).forEach((k, v) -> {
            if (k.endsWith("." + adapter + ".aT") || k.endsWith("." + adapter + ".bT")) out.put(k, v);
        });
        return out;
    }
}
