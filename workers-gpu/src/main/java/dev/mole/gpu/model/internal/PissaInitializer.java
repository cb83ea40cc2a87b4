package dev.mole.gpu.model.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.mole.gpu.model.AdapterInit;
import dev.mole.gpu.model.MoleConfig;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Initialises the adapters of one projection (docs/mole-protocol.md section 2).
 *
 * <p>PiSSA: with {@code W = U diag(S) V^T} (top k = r_s + r_e), an adapter on slice [a, a+r) with scale s gets
 * {@code A = diag(sqrt(S/s)) V_slice^T}, {@code B = U_slice diag(sqrt(S/s))}, so {@code s B A = U_slice diag(S_slice) V_slice^T};
 * the residual {@code W - U_k diag(S_k) V_k^T} is subtracted ONCE over the union [0, k) of the slices (not per adapter, and
 * with the union's true end — the reference's interval-union bug is not copied). Every route then sees exactly W at init.
 *
 * <p>std: A Kaiming-uniform (bound 1/sqrt(in), PEFT's a=sqrt(5)), B zero, residual = W.
 */
public final class PissaInitializer {

    private PissaInitializer() {}

    /**
     * @param weightT the ORIGINAL weight, transposed [in, out] (as the model stores it)
     * @param factors top-k SVD of W [out, in] (ignored for std init; may be null then)
     * @return the new residual (transposed) and the adapters, all owned by {@code owner}
     */
    public static Result init(NDManager owner, NDArray weightT, MoleConfig cfg, SvdFactors factors, long seed) {
        int in = (int) weightT.getShape().get(0), out = (int) weightT.getShape().get(1);
        List<MoleConfig.AdapterSpec> specs = cfg.adapters();
        LoraAdapter[] adapters = new LoraAdapter[specs.size()];
        if (cfg.init() == AdapterInit.STD) {
            for (int i = 0; i < specs.size(); i++) {
                var sp = specs.get(i);
                SplittableRandom rnd = new SplittableRandom(seed * 1_000_003L + i);
                float[] a = new float[in * sp.rank()];
                double bound = 1.0 / Math.sqrt(in);
                for (int j = 0; j < a.length; j++) a[j] = (float) ((rnd.nextDouble() * 2 - 1) * bound);
                adapters[i] = new LoraAdapter(sp.name(), owner.create(a, new Shape(in, sp.rank())),
                        owner.zeros(new Shape(sp.rank(), out)), Tensors.scalar(owner, sp.scale()), sp.rank());
            }
            NDArray residual = weightT.duplicate();
            residual.attach(owner);
            return new Result(residual, adapters);
        }
        int k = cfg.unionRank();
        if (factors.m() != out || factors.n() != in || factors.k() < k) {
            throw new IllegalArgumentException("SVD factors " + factors.m() + "x" + factors.n() + " k=" + factors.k()
                    + " do not fit a " + out + "x" + in + " weight with union rank " + k);
        }
        int fk = factors.k();
        for (int i = 0; i < specs.size(); i++) {
            var sp = specs.get(i);
            int r = sp.rank(), a0 = sp.sliceStart();
            if (a0 + r > k) throw new IllegalStateException("slice of " + sp.name() + " exceeds the union rank " + k);
            double s = sp.scale();
            float[] aT = new float[in * r], bT = new float[r * out];
            for (int j = 0; j < r; j++) {
                float g = (float) Math.sqrt(factors.s()[a0 + j] / s);
                for (int x = 0; x < in; x++) aT[x * r + j] = factors.v()[x * fk + a0 + j] * g;
                for (int o = 0; o < out; o++) bT[j * out + o] = factors.u()[o * fk + a0 + j] * g;
            }
            adapters[i] = new LoraAdapter(sp.name(), owner.create(aT, new Shape(in, r)), owner.create(bT, new Shape(r, out)),
                    Tensors.scalar(owner, s), r);
        }
        // residual^T = W^T - V_k diag(S_k) U_k^T, computed on the model's device in float32
        float[] vs = new float[in * k];
        float[] ukT = new float[k * out];
        for (int x = 0; x < in; x++) for (int j = 0; j < k; j++) vs[x * k + j] = factors.v()[x * fk + j] * factors.s()[j];
        for (int o = 0; o < out; o++) for (int j = 0; j < k; j++) ukT[j * out + o] = factors.u()[o * fk + j];
        NDArray residual;
        try (NDManager tmp = owner.newSubManager()) {
            NDArray low = tmp.create(vs, new Shape(in, k)).matMul(tmp.create(ukT, new Shape(k, out)));
            residual = weightT.sub(low);
            residual.attach(owner);
        }
        return new Result(residual, adapters);
    }

    public record Result(NDArray residualT, LoraAdapter[] adapters) {}
}
