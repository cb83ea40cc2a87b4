package dev.mole.gpu.model.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A frozen projection {@code y = x W^T} (W stored transposed, [in, out]) with optional routed LoRA adapters.
 * Without adapters it is a plain linear layer; with them, W holds the PiSSA residual and each token adds its route's adapters.
 */
public final class MoleLinear {

    private NDArray weightT;
    private final int in;
    private final int out;
    private LoraAdapter[] adapters = new LoraAdapter[0];
    /** Scale vectors of fused adapter sets ({@link #fusedScales}), per set and dtype; they live as long as the adapters. */
    private final Map<String, NDArray> fused = new ConcurrentHashMap<>();

    public MoleLinear(NDArray weightT) {
        this.weightT = weightT;
        this.in = (int) weightT.getShape().get(0);
        this.out = (int) weightT.getShape().get(1);
    }

    public int in() {
        return in;
    }

    public int out() {
        return out;
    }

    public NDArray weightT() {
        return weightT;
    }

    public LoraAdapter[] adapters() {
        return adapters;
    }

    /** Replaces the frozen weight (by its residual) and installs adapters; the old weight array is closed. */
    public void install(NDArray residualT, LoraAdapter[] newAdapters) {
        if (residualT != weightT) weightT.close();
        weightT = residualT;
        for (LoraAdapter a : adapters) {
            a.aT().close();
            a.bT().close();
        }
        adapters = newAdapters;
        fused.values().forEach(NDArray::close);
        fused.clear();
    }

    public void castTo(ArrayCaster cast) {
        weightT = cast.apply(weightT);
        for (int i = 0; i < adapters.length; i++) adapters[i] = adapters[i].castTo(cast);
    }

    /**
     * Tokens in their own order: the frozen matmul plus, with groups, every adapter's masked delta (the NAIVE form; the
     * grouped form is {@link #forwardSorted}).
     */
    public NDArray forward(NDArray x, RouteGroups groups) {
        NDArray y = x.matMul(weightT);
        if (adapters.length == 0 || groups == null) return y;
        return y.add(naiveDelta(x, groups));
    }

    /**
     * Reference form: EVERY adapter over EVERY token, multiplied by its 0/1 mask (all zeros when no token uses it), as the
     * reference training code does. Cost grows with the number of adapters, whatever the routes.
     */
    private NDArray naiveDelta(NDArray x, RouteGroups g) {
        NDArray sum = null;
        for (int a = 0; a < adapters.length; a++) {
            NDArray d = adapters[a].delta(x);
            d = d.mul(Tensors.asTypeOf(g.maskOrZeros(a), d));
            sum = sum == null ? d : sum.add(d);
        }
        return sum;
    }

    /**
     * Grouped form on tokens already in route-sorted order ({@code xs = x[perm]}, see {@link RouteGroups}): the frozen
     * matmul is row-wise so it runs on all sorted rows at once, and the adapters run per {@link RouteGroups.Run} (rows
     * with one adapter set), see {@link #sortedDelta}. The MLP block permutes once on entry and un-permutes once after
     * down_proj, instead of a gather and an inverse gather in each of gate, up and down.
     */
    public NDArray forwardSorted(NDArray xs, RouteGroups groups) {
        NDArray y = xs.matMul(weightT);
        if (adapters.length == 0 || groups == null) return y;
        NDArray delta = sortedDelta(xs, groups);
        return delta == null ? y : y.add(delta); // null: no token uses any adapter (all padding)
    }

    /**
     * Adapter delta for sorted tokens, one block per run: the rows are cut into runs by ONE split (its backward is one
     * concat; a row slice per adapter would zero-fill a full-size gradient each), each run's adapters act as one fused
     * low-rank pair ({@link #runDelta}), and the blocks (zeros for a run without adapters, i.e. padding) are joined by one
     * concat. A single run (single LoRA; code of one language without NL) needs neither. Cutting the frozen matmul into runs
     * as well was measured slower (smaller row blocks make the big matmuls less efficient on CPU).
     */
    private NDArray sortedDelta(NDArray xs, RouteGroups g) {
        List<RouteGroups.Run> runs = g.runs();
        if (runs.size() == 1) return runDelta(xs, runs.get(0).adapters());
        NDList rows = xs.split(g.runStarts(), 0);
        NDList pieces = new NDList(runs.size());
        boolean any = false;
        for (int i = 0; i < runs.size(); i++) {
            NDArray d = runDelta(rows.get(i), runs.get(i).adapters());
            any |= d != null;
            pieces.add(d != null ? d : xs.getManager().zeros(new Shape(rows.get(i).getShape().get(0), out), xs.getDataType()));
        }
        return any ? NDArrays.concat(pieces, 0) : null;
    }

    /**
     * The summed delta of adapters {@code use} on rows x, as ONE low-rank pair: {@code ((x [A_1|A_2|..]) * s) [B_1;B_2;..]}
     * with s each adapter's scale repeated over its rank. This is the sum of the adapters' deltas up to float rounding, at
     * the cost of one rank-(r_1+r_2+..) pair (MoLE's shared 48 + expert 16 costs what AllLang's rank 64 does). The
     * concatenated factors are rebuilt every pass (small: [in, R] and [R, out]); autograd splits their gradients back onto
     * the adapters. Null when no adapter applies.
     */
    private NDArray runDelta(NDArray x, int[] use) {
        if (use.length == 0) return null;
        if (use.length == 1) return adapters[use[0]].delta(x);
        NDList as = new NDList(use.length), bs = new NDList(use.length);
        for (int a : use) {
            as.add(adapters[a].aT());
            bs.add(adapters[a].bT());
        }
        NDArray aT = NDArrays.concat(as, 1), bT = NDArrays.concat(bs, 0);
        // concat attaches to its first operand's (the model's) manager: hand both to the step's so they are freed with it
        aT.attach(x.getManager());
        bT.attach(x.getManager());
        return x.matMul(aT).mul(fusedScales(use, x.getDataType())).matMul(bT);
    }

    /**
     * [1, R] scales of a fused adapter set, built once per set and dtype and kept with the frozen weight ([1, R] rather than
     * [R]: libtorch's broadcast multiply by a [R] vector measured 3x slower than by [1, R]).
     */
    private NDArray fusedScales(int[] use, DataType dtype) {
        return fused.computeIfAbsent(Arrays.toString(use) + dtype, k -> {
            int rank = 0;
            for (int a : use) rank += adapters[a].rank();
            float[] v = new float[rank];
            int at = 0;
            for (int a : use) {
                float scale = scaleOf(adapters[a]); // the very float the unfused form multiplies by
                Arrays.fill(v, at, at + adapters[a].rank(), scale);
                at += adapters[a].rank();
            }
            NDArray s = weightT.getManager().create(v, new Shape(1, rank));
            if (dtype == DataType.FLOAT32) return s;
            NDArray cast = s.toType(dtype, false); // a constant: no graph to cut
            s.close();
            return cast;
        });
    }

    private static float scaleOf(LoraAdapter a) {
        try (NDArray f = a.scale().toType(DataType.FLOAT32, true)) {
            return f.getFloat();
        }
    }
}
