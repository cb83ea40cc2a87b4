package dev.mole.gpu.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.mole.gpu.model.PissaFactors;
import dev.mole.gpu.model.internal.SvdFactors;
import dev.mole.gpu.model.internal.Tensors;
import dev.mole.gpu.training.internal.F32Safetensors;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The rank-k factors that turn the UNMODIFIED base weight into the PiSSA residual: {@code W_res = W - U SVt} with
 * {@code U} [out, k] and {@code SVt = diag(S) V^T} [k, in] (docs/mole-protocol.md section 7), one pair per MLP projection.
 *
 * <p>They come from the same {@link PissaFactors} the adapters were initialised from (no second SVD), with the same float
 * product {@code v * s} as {@code PissaInitializer}, and {@link #applyTo} subtracts them with the same DJL ops in the same
 * order, so the rebuilt residual is bit-identical to the one the adapters were trained on.
 */
public final class ResidualFactors {

    private ResidualFactors() {}

    /** Tensors {@code model.layers.L.mlp.PROJ.U} and {@code .SVt} of the top {@code k} of {@code f}. */
    public static Map<String, F32Safetensors.Tensor> of(PissaFactors f, int k) {
        Map<String, F32Safetensors.Tensor> out = new LinkedHashMap<>();
        for (int l = 0; l < f.layers(); l++) {
            for (String proj : PissaFactors.PROJECTIONS) {
                SvdFactors s = f.get(l, proj);
                int o = s.m(), i = s.n(), fk = s.k();
                float[] u = new float[o * k], svt = new float[k * i];
                for (int r = 0; r < o; r++) for (int j = 0; j < k; j++) u[r * k + j] = s.u()[r * fk + j];
                for (int x = 0; x < i; x++) for (int j = 0; j < k; j++) svt[j * i + x] = s.v()[x * fk + j] * s.s()[j];
                String p = "model.layers." + l + ".mlp." + proj;
                out.put(p + ".U", new F32Safetensors.Tensor(new long[] {o, k}, u));
                out.put(p + ".SVt", new F32Safetensors.Tensor(new long[] {k, i}, svt));
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
