package dev.mole.gpu.model;

import ai.djl.ndarray.NDArray;
import dev.mole.contracts.training.MoeSettings;
import dev.mole.gpu.model.internal.DecoderLayer;
import dev.mole.gpu.model.internal.MoeMlp;
import dev.mole.gpu.model.internal.SwiGluMlp;
import java.util.LinkedHashMap;
import java.util.Map;

/** Turns a loaded base into a MultiPL-MoE model (docs/multipl-moe.md) and names what trains in it. */
public final class MultiplMoe {

    private MultiplMoe() {}

    /**
     * Upcycles every layer's dense MLP ({@link MoeMlp#upcycle}); refused, before anything changes, on a model that
     * already has adapters or experts, or whose MLP cannot be copied into experts.
     */
    public static void upcycle(LlamaModel model, MoeSettings settings, long seed) {
        if (model.mole() != null) throw new IllegalStateException("MoLE adapters are installed: MultiPL-MoE upcycles a plain base");
        if (model.moe() != null) throw new IllegalStateException("the model is upcycled already (" + model.moe() + ")");
        for (DecoderLayer layer : model.layers()) {
            if (!(layer.feedForward() instanceof SwiGluMlp)) {
                throw new IllegalStateException("upcycling needs a dense SwiGLU MLP; found " + layer.feedForward().getClass().getSimpleName());
            }
        }
        MoeMlp[] built = new MoeMlp[model.layers().size()];
        for (int l = 0; l < built.length; l++) {
            built[l] = MoeMlp.upcycle((SwiGluMlp) model.layers().get(l).feedForward(), settings, seed, l);
        }
        for (int l = 0; l < built.length; l++) model.layers().get(l).replaceFeedForward(built[l]);
        model.moeInstalled(settings);
    }

    /**
     * The arrays that train, {@code model.layers.L.mlp.router.weightT} ([hidden, token + segment experts]) then each
     * trainable expert's; the frozen expert is not among them. Fixed order, so checkpoints and outputs line up.
     */
    public static Map<String, NDArray> trainable(LlamaModel model) {
        if (model.moe() == null) throw new IllegalStateException("not a MultiPL-MoE model");
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (int l = 0; l < model.layers().size(); l++) {
            out.putAll(((MoeMlp) model.layers().get(l).feedForward()).trainable("model.layers." + l + ".mlp."));
        }
        return out;
    }

    /** Number of trainable values ({@link #trainable}). */
    public static long trainableCount(LlamaModel model) {
        long n = 0;
        for (NDArray a : trainable(model).values()) n += a.size();
        return n;
    }
}
