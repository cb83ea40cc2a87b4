package dev.mole.gpu.model.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import dev.mole.gpu.model.RoutingMode;

/**
 * The MoLE-adapted MLP: gate/up/down hold the PiSSA residual and routed LoRA adapters (docs/mole-protocol.md section 1);
 * every token adds its route's adapters.
 */
public final class MoleMlp implements FeedForward {
    private final MoleLinear gate, up, down;

    /** Over the projections of a dense MLP whose adapters are (being) installed in place. */
    public MoleMlp(MoleLinear[] projections) {
        this.gate = projections[0];
        this.up = projections[1];
        this.down = projections[2];
    }

    /**
     * GROUPED: the tokens are put in route-sorted order once on entry (the frozen matmuls and the SwiGLU are row-wise, so
     * order does not matter to them), gate/up/down run their adapters per run of tokens with one adapter set
     * ({@link MoleLinear#forwardSorted}), and the output is put back in token order once: 2 gathers per layer instead of
     * one pair per projection.
     * NAIVE (or no groups): every projection on the tokens as they are, every adapter masked.
     */
    @Override
    public NDArray forward(NDArray x, TokenRows rows) {
        RouteGroups groups = rows.groups();
        if (groups != null && rows.mode() == RoutingMode.GROUPED) {
            boolean sort = groups.sortNeeded(); // false: every used adapter covers every token, order is irrelevant
            NDArray xs = sort ? x.get(new NDIndex("{}", groups.perm())) : x;
            NDArray act = Tensors.silu(gate.forwardSorted(xs, groups)).mul(up.forwardSorted(xs, groups));
            NDArray out = down.forwardSorted(act, groups);
            return sort ? out.get(new NDIndex("{}", groups.invPerm())) : out;
        }
        NDArray act = Tensors.silu(gate.forward(x, groups)).mul(up.forward(x, groups));
        return down.forward(act, groups);
    }

    @Override
    public MoleLinear[] baseProjections() {
        return new MoleLinear[] {gate, up, down};
    }

    @Override
    public void castTo(ArrayCaster cast) {
        for (MoleLinear p : baseProjections()) p.castTo(cast);
    }
}
