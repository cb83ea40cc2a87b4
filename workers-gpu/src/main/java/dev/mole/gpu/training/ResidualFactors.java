package dev.mole.gpu.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.mole.gpu.model.AdapterInit;
import dev.mole.gpu.model.LlamaCheckpoint;
import dev.mole.gpu.model.MoleConfig;
import dev.mole.gpu.model.SvdMethod;
import dev.mole.gpu.model.internal.RandomizedSvd;
import dev.mole.gpu.model.internal.SvdFactors;
import dev.mole.gpu.model.internal.ThinSvd;
import dev.mole.gpu.model.internal.Tensors;
import dev.mole.gpu.training.internal.F32Safetensors;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The rank-k factors that turn the UNMODIFIED base weight into the PiSSA residual: {@code W_res = W - U SVt} with
 * {@code U} [out, k] and {@code SVt = diag(S) V^T} [k, in] (docs/mole-protocol.md section 7), one pair per MLP projection.
 *
 * <p>They are recomputed from the base checkpoint with the same SVD call (method and seed) that
 * {@code MoleAdapters.install} made, and {@link #applyTo} subtracts them with the same DJL ops in the same order, so the
 * rebuilt residual is bit-identical to the one the adapters were trained on.
 */
public final class ResidualFactors {

    private ResidualFactors() {}

    /** Tensors {@code model.layers.L.mlp.PROJ.U} and {@code .SVt}; empty for std init (W_res = W). */
    public static Map<String, F32Safetensors.Tensor> compute(Path baseDir, MoleConfig cfg, SvdMethod svd, NDManager manager) {
        Map<String, F32Safetensors.Tensor> out = new LinkedHashMap<>();
        if (cfg.init() == AdapterInit.STD) return out;
        int k = cfg.unionRank();
        try (LlamaCheckpoint ck = LlamaCheckpoint.open(baseDir)) {
            var c = ck.config();
            int index = 0;
            for (int l = 0; l < c.numLayers(); l++) {
                for (String proj : AdapterParameters.PROJECTIONS) {
                    int o = proj.equals("down_proj") ? c.hiddenSize() : c.intermediateSize();
                    int i = proj.equals("down_proj") ? c.intermediateSize() : c.hiddenSize();
                    float[] w = ck.tensors().read("model.layers." + l + ".mlp." + proj + ".weight", o, i);
                    SvdFactors f = svd == SvdMethod.EXACT ? ThinSvd.topK(w, o, i, k)
                            : RandomizedSvd.defaults().withSeed(cfg.seed() + index).topK(manager, w, o, i, k);
                    int fk = f.k();
                    float[] u = new float[o * k], svt = new float[k * i];
                    for (int r = 0; r < o; r++) for (int j = 0; j < k; j++) u[r * k + j] = f.u()[r * fk + j];
                    // same float product as PissaInitializer (v * s), so the residual is rebuilt bit for bit
                    for (int x = 0; x < i; x++) for (int j = 0; j < k; j++) svt[j * i + x] = f.v()[x * fk + j] * f.s()[j];
                    String p = "model.layers." + l + ".mlp." + proj;
                    out.put(p + ".U", new F32Safetensors.Tensor(new long[] {o, k}, u));
                    out.put(p + ".SVt", new F32Safetensors.Tensor(new long[] {k, i}, svt));
                    index++;
                }
            }
        }
        return out;
    }

    /** Replaces the (transposed, [in, out]) weight {@code weightT}, holding the ORIGINAL W^T, by the residual. */
    public static void applyTo(NDArray weightT, F32Safetensors.Tensor u, F32Safetensors.Tensor svt) {
        int o = (int) u.shape()[0], k = (int) u.shape()[1], i = (int) svt.shape()[1];
        try (NDManager tmp = weightT.getManager().newSubManager()) {
            NDArray vs = tmp.create(Tensors.transpose(svt.data(), k, i), new Shape(i, k));
            NDArray ukT = tmp.create(Tensors.transpose(u.data(), o, k), new Shape(k, o));
            NDArray res = weightT.sub(vs.matMul(ukT));
            float[] r = res.toFloatArray();
            res.close();
            weightT.set(r);
        }
    }
}
