package dev.mole.gpu.model.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.mole.gpu.model.RoutingMode;

/**
 * A frozen projection {@code y = x W^T} (W stored transposed, [in, out]) with optional routed LoRA adapters.
 * Without adapters it is a plain linear layer; with them, W holds the PiSSA residual and each token adds its route's adapters.
 */
public final class MoleLinear {

    private NDArray weightT;
    private final int in;
    private final int out;
    private LoraAdapter[] adapters = new LoraAdapter[0];

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
    }

    public void castTo(ArrayCaster cast) {
        weightT = cast.apply(weightT);
        for (int i = 0; i < adapters.length; i++) adapters[i] = adapters[i].castTo(cast);
    }

    public NDArray forward(NDArray x, RouteGroups groups, RoutingMode mode) {
        NDArray y = x.matMul(weightT);
        if (adapters.length == 0 || groups == null) return y;
        NDArray delta = mode == RoutingMode.NAIVE ? naiveDelta(x, groups) : groupedDelta(x, groups);
        return delta == null ? y : y.add(delta); // null: no token uses any adapter (all padding)
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
     * matmul is row-wise so it runs on the sorted rows as they are, and every adapter works on the contiguous row slice of
     * the tokens that use it, with no gather. The MLP block permutes once on entry and un-permutes once after down_proj,
     * instead of a gather and an inverse gather in each of gate, up and down.
     */
    public NDArray forwardSorted(NDArray xs, RouteGroups groups) {
        NDArray y = xs.matMul(weightT);
        if (adapters.length == 0 || groups == null) return y;
        NDArray delta = sortedDelta(xs, groups);
        return delta == null ? y : y.add(delta);
    }

    /** Grouped form on tokens in their own order: one gather in, the sorted delta, one gather back. */
    private NDArray groupedDelta(NDArray x, RouteGroups g) {
        if (!g.sortNeeded()) return sortedDelta(x, g);
        NDArray sorted = sortedDelta(x.get(new NDIndex("{}", g.perm())), g);
        return sorted == null ? null : sorted.get(new NDIndex("{}", g.invPerm()));
    }

    /**
     * Adapter delta for sorted tokens: an adapter used by every token (single LoRA; shared when all tokens are code) runs on
     * xs as it is; the others run once over their contiguous sorted range and their outputs are laid end to end by segment.
     */
    private NDArray sortedDelta(NDArray xs, RouteGroups g) {
        NDArray global = null;
        boolean[] ranged = new boolean[adapters.length];
        boolean anyRanged = false;
        for (int a = 0; a < adapters.length; a++) {
            int lo = g.lo(a), hi = g.hi(a);
            if (lo < 0) continue;
            if (lo == 0 && hi == g.size()) {
                NDArray d = adapters[a].delta(xs);
                global = global == null ? d : global.add(d);
            } else {
                ranged[a] = true;
                anyRanged = true;
            }
        }
        if (!anyRanged) return global;
        NDArray[] outs = new NDArray[adapters.length];
        for (int a = 0; a < adapters.length; a++) {
            if (ranged[a]) outs[a] = adapters[a].delta(xs.get(new NDIndex(g.lo(a) + ":" + g.hi(a))));
        }
        NDList pieces = new NDList();
        for (RouteGroups.Segment s : g.segments()) {
            NDArray piece = null;
            for (int a : s.adapters()) {
                if (!ranged[a]) continue;
                int lo = g.lo(a), hi = g.hi(a);
                NDArray o = (s.lo() == lo && s.hi() == hi) ? outs[a]
                        : outs[a].get(new NDIndex((s.lo() - lo) + ":" + (s.hi() - lo)));
                piece = piece == null ? o : piece.add(o);
            }
            pieces.add(piece != null ? piece : g.step().zeros(new Shape(s.hi() - s.lo(), out), xs.getDataType()));
        }
        NDArray sorted = pieces.size() == 1 ? pieces.get(0) : NDArrays.concat(pieces, 0);
        return global == null ? sorted : global.add(sorted);
    }
}
