package dev.mole.gpu.model;

import ai.djl.ndarray.NDArray;
import dev.mole.gpu.model.internal.DecoderLayer;
import dev.mole.gpu.model.internal.MoleLinear;
import dev.mole.gpu.model.internal.PissaInitializer;
import dev.mole.gpu.model.internal.RandomizedSvd;
import dev.mole.gpu.model.internal.SvdFactors;
import dev.mole.gpu.model.internal.Tensors;
import dev.mole.gpu.model.internal.ThinSvd;

/** Installs MoLE / LoRA adapters on every gate/up/down projection of a base model. */
public final class MoleAdapters {

    private MoleAdapters() {}

    public static void install(LlamaModel model, MoleConfig cfg) {
        install(model, cfg, SvdMethod.EXACT);
    }

    public static void install(LlamaModel model, MoleConfig cfg, SvdMethod svd) {
        if (model.mole() != null) throw new IllegalStateException("adapters already installed (" + model.mole() + ")");
        int k = cfg.unionRank();
        int index = 0;
        for (DecoderLayer layer : model.layers()) {
            for (MoleLinear p : layer.mlp()) {
                int in = p.in(), out = p.out();
                if (k > Math.min(in, out)) {
                    throw new IllegalArgumentException("union rank " + k + " exceeds projection size " + out + "x" + in);
                }
                SvdFactors f = null;
                if (cfg.init() != AdapterInit.STD) {
                    float[] w = Tensors.transpose(p.weightT().toFloatArray(), in, out); // back to W [out, in]
                    f = svd == SvdMethod.EXACT ? ThinSvd.topK(w, out, in, k)
                            : RandomizedSvd.defaults().withSeed(cfg.seed() + index).topK(model.manager(), w, out, in, k);
                }
                PissaInitializer.Result r = PissaInitializer.init(model.manager(), p.weightT(), cfg, f, cfg.seed() + index);
                p.install(r.residualT(), r.adapters());
                index++;
            }
        }
        model.adaptersInstalled(cfg);
    }

    /** Adapter arrays of one projection, for storage and training ([in, r] A^T and [r, out] B^T). */
    public static NDArray[] factorsOf(LlamaModel model, int layer, String projection, String adapter) {
        DecoderLayer l = model.layers().get(layer);
        MoleLinear p = switch (projection) {
            case "gate_proj" -> l.gate;
            case "up_proj" -> l.up;
            case "down_proj" -> l.down;
            default -> throw new IllegalArgumentException("no adapters on " + projection);
        };
        for (var a : p.adapters()) if (a.name().equals(adapter)) return new NDArray[] {a.aT(), a.bT()};
        throw new IllegalArgumentException("no adapter '" + adapter + "' on layer " + layer + " " + projection);
    }
}
