package dev.mole.gpu.model;

import ai.djl.ndarray.NDArray;
import dev.mole.gpu.model.internal.DecoderLayer;
import dev.mole.gpu.model.internal.MoleLinear;
import dev.mole.gpu.model.internal.MoleMlp;
import dev.mole.gpu.model.internal.PissaInitializer;
import dev.mole.gpu.model.internal.SvdFactors;

/** Installs MoLE / LoRA adapters on every gate/up/down projection of a base model. */
public final class MoleAdapters {

    private MoleAdapters() {}

    /** With the default SVD ({@link SvdMethod#DEFAULT}) computed here. */
    public static void install(LlamaModel model, MoleConfig cfg) {
        install(model, cfg, SvdMethod.DEFAULT);
    }

    public static void install(LlamaModel model, MoleConfig cfg, SvdMethod svd) {
        install(model, cfg, cfg.init() == AdapterInit.STD ? null : PissaFactors.compute(model, cfg.unionRank(), svd));
    }

    /**
     * @param factors the base's top-k factors with k >= the union rank (computed once, or read from the SVD stage's
     *                store); null for std init
     */
    public static void install(LlamaModel model, MoleConfig cfg, PissaFactors factors) {
        if (model.mole() != null) throw new IllegalStateException("adapters already installed (" + model.mole() + ")");
        for (DecoderLayer layer : model.layers()) {
            if (!(layer.feedForward() instanceof dev.mole.gpu.model.internal.SwiGluMlp)) {
                throw new IllegalStateException("adapters go on a dense MLP; this model's is " + layer.feedForward().getClass().getSimpleName());
            }
        }
        int k = cfg.unionRank();
        if (cfg.init() != AdapterInit.STD) {
            if (factors == null) throw new IllegalArgumentException("PiSSA init (" + cfg.init() + ") needs SVD factors");
            if (factors.rank() < k || factors.layers() != model.layers().size()) {
                throw new IllegalArgumentException("SVD factors of rank " + factors.rank() + " over " + factors.layers()
                        + " layers do not fit union rank " + k + " over " + model.layers().size() + " layers");
            }
        }
        int index = 0;
        for (DecoderLayer layer : model.layers()) {
            for (MoleLinear p : layer.mlp()) {
                int in = p.in(), out = p.out();
                if (k > Math.min(in, out)) {
                    throw new IllegalArgumentException("union rank " + k + " exceeds projection size " + out + "x" + in);
                }
                SvdFactors f = cfg.init() == AdapterInit.STD ? null : factors.get(index);
                PissaInitializer.Result r = PissaInitializer.init(model.manager(), p.weightT(), cfg, f, cfg.seed() + index);
                p.install(r.residualT(), r.adapters());
                index++;
            }
            layer.replaceFeedForward(new MoleMlp(layer.mlp()));
        }
        model.adaptersInstalled(cfg);
    }

    /** Adapter arrays of one projection, for storage and training ([in, r] A^T and [r, out] B^T). */
    public static NDArray[] factorsOf(LlamaModel model, int layer, String projection, String adapter) {
        DecoderLayer l = model.layers().get(layer);
        MoleLinear p = switch (projection) {
            case "gate_proj" -> l.mlp()[0];
            case "up_proj" -> l.mlp()[1];
            case "down_proj" -> l.mlp()[2];
            default -> throw new IllegalArgumentException("no adapters on " + projection);
        };
        for (var a : p.adapters()) if (a.name().equals(adapter)) return new NDArray[] {a.aT(), a.bT()};
        throw new IllegalArgumentException("no adapter '" + adapter + "' on layer " + layer + " " + projection);
    }
}
