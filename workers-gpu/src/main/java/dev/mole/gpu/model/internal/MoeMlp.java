package dev.mole.gpu.model.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.mole.contracts.training.MoeSettings;
import dev.mole.gpu.model.Route;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MultiPL-MoE's hybrid mixture of experts on one layer's MLP (docs/multipl-moe.md).
 *
 * <p>Token level: softmax over the E token rows of the router; each token takes the top-1 of experts 0..E-2 and the
 * frozen expert E-1 (the dense MLP), their two probabilities renormalised to sum 1.
 *
 * <p>Segment level: each sequence is cut into non-overlapping windows (the last one short; pooling looks at its real
 * tokens only), each window max-pooled and routed by the F segment rows; expert choice PER SEQUENCE: each expert takes
 * the top ceil(v x capacity / F) of the sequence's v windows, a window at most {@code maxExpertsPerSegment} times; an
 * expert runs on the taken window's tokens, weighted by gate / window. A sequence therefore routes the same alone or in a
 * padded batch (the reference pools segment-major over the batch and so mixes sequences).
 *
 * <p>Output: tokenWeight x token level + segmentWeight x segment level.
 */
public final class MoeMlp implements FeedForward {

    static final List<String> PROJECTIONS = List.of("gate_proj", "up_proj", "down_proj");

    private final MoeSettings settings;
    private final MoleLinear[] frozen; // the dense MLP: expert E-1, never trained
    private ExpertMlp[] tokenExperts; // 0..E-2
    private ExpertMlp[] segmentExperts;
    private NDArray routerT; // [hidden, E + F]
    private final NDArray tokenWeight, segmentWeight, perWindow; // float32 0-d constants

    MoeMlp(MoeSettings settings, MoleLinear[] frozen, ExpertMlp[] tokenExperts, ExpertMlp[] segmentExperts, NDArray routerT) {
        this.settings = settings;
        this.frozen = frozen;
        this.tokenExperts = tokenExperts;
        this.segmentExperts = segmentExperts;
        this.routerT = routerT;
        NDManager m = routerT.getManager();
        this.tokenWeight = Tensors.scalar(m, settings.tokenWeight());
        this.segmentWeight = Tensors.scalar(m, settings.segmentWeight());
        this.perWindow = Tensors.scalar(m, 1.0 / settings.window());
    }

    /**
     * Upcycles a dense MLP: FULL experts are copies of its gate/up/down, LOW_RANK experts share them (frozen) and get
     * LoRA pairs with A Kaiming-uniform and B zero; either way every expert starts as the dense MLP. The router starts
     * from N(0, 0.02^2), seeded by (seed, layer).
     */
    public static MoeMlp upcycle(SwiGluMlp dense, MoeSettings s, long seed, int layer) {
        MoleLinear[] base = dense.baseProjections();
        NDManager m = base[0].weightT().getManager();
        int hidden = base[0].in(), inter = base[0].out();
        if (base[1].in() != hidden || base[1].out() != inter || base[2].in() != inter || base[2].out() != hidden) {
            throw new IllegalArgumentException("layer " + layer + ": the MLP is not SwiGLU-shaped (gate " + shape(base[0]) + ", up "
                    + shape(base[1]) + ", down " + shape(base[2]) + "), so its experts cannot be copies of it");
        }
        if (s.expertSize() == MoeSettings.ExpertSize.LOW_RANK && s.expertRank() > Math.min(hidden, inter)) {
            throw new IllegalArgumentException("LOW_RANK expert rank " + s.expertRank() + " exceeds the MLP's projections ("
                    + hidden + " x " + inter + ")");
        }
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed * 0x9E3779B97F4A7C15L + 7919L * layer);
        ExpertMlp[] tok = new ExpertMlp[s.tokenExperts() - 1];
        ExpertMlp[] seg = new ExpertMlp[s.segmentExperts()];
        for (int e = 0; e < tok.length; e++) tok[e] = expert(m, base, s, rnd);
        for (int e = 0; e < seg.length; e++) seg[e] = expert(m, base, s, rnd);
        int rows = s.routerRows();
        float[] r = new float[hidden * rows];
        for (int i = 0; i < r.length; i++) r[i] = (float) (rnd.nextGaussian() * 0.02);
        return new MoeMlp(s, base, tok, seg, m.create(r, new Shape(hidden, rows)));
    }

    private static String shape(MoleLinear p) {
        return p.out() + "x" + p.in();
    }

    private static ExpertMlp expert(NDManager m, MoleLinear[] base, MoeSettings s, java.util.SplittableRandom rnd) {
        if (s.expertSize() == MoeSettings.ExpertSize.FULL) {
            NDArray[] w = new NDArray[3];
            for (int i = 0; i < 3; i++) w[i] = base[i].weightT().duplicate();
            return new ExpertMlp(w, null);
        }
        int r = s.expertRank();
        NDArray scale = Tensors.scalar(m, s.expertAlpha() / Math.sqrt(r));
        NDArray[] w = new NDArray[3];
        LoraAdapter[] l = new LoraAdapter[3];
        for (int i = 0; i < 3; i++) {
            w[i] = base[i].weightT();
            int in = base[i].in(), out = base[i].out();
            float[] a = new float[in * r];
            double bound = 1.0 / Math.sqrt(in);
            for (int j = 0; j < a.length; j++) a[j] = (float) ((rnd.nextDouble() * 2 - 1) * bound);
            l[i] = new LoraAdapter("expert", m.create(a, new Shape(in, r)), m.zeros(new Shape(r, out)), scale, r);
        }
        return new ExpertMlp(w, l);
    }

    public MoeSettings settings() {
        return settings;
    }

    @Override
    public MoleLinear[] baseProjections() {
        return frozen;
    }

    /** Trainable arrays by name below {@code prefix} (e.g. {@code model.layers.0.mlp.}), in a fixed order. */
    public Map<String, NDArray> trainable(String prefix) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        out.put(prefix + "router.weightT", routerT);
        for (int e = 0; e < tokenExperts.length; e++) {
            int id = e;
            tokenExperts[e].trainable().forEach((k, v) -> out.put(prefix + "token_experts." + id + "." + k, v));
        }
        for (int e = 0; e < segmentExperts.length; e++) {
            int id = e;
            segmentExperts[e].trainable().forEach((k, v) -> out.put(prefix + "segment_experts." + id + "." + k, v));
        }
        return out;
    }

    @Override
    public void castTo(ArrayCaster cast) {
        for (MoleLinear p : frozen) p.castTo(cast);
        for (int e = 0; e < tokenExperts.length; e++) tokenExperts[e] = tokenExperts[e].castTo(cast);
        for (int e = 0; e < segmentExperts.length; e++) segmentExperts[e] = segmentExperts[e].castTo(cast);
        routerT = cast.apply(routerT);
    }

    @Override
    public NDArray forward(NDArray x, TokenRows rows) {
        TokenRows.Sequences seq = rows.sequences();
        if (seq == null) {
            throw new IllegalStateException("a MultiPL-MoE layer routes whole sequences (its segment experts choose among a "
                    + "sequence's windows): run full passes, not cached decoding (docs/multipl-moe.md)");
        }
        int n = (int) x.getShape().get(0);
        if (n != seq.stride() * seq.count()) throw new IllegalArgumentException(n + " rows for " + seq.count() + " sequences of " + seq.stride());
        int e = settings.tokenExperts();
        NDArray tokenLogits = x.matMul(routerT.get(new NDIndex(":, :" + e)));
        NDArray tokenOut = tokenLevel(x, tokenLogits, seq, rows.log());
        NDArray segmentOut = segmentLevel(x, seq, rows.log());
        NDArray out = Tensors.scale(tokenOut, tokenWeight);
        return segmentOut == null ? out : out.add(Tensors.scale(segmentOut, segmentWeight));
    }

    private NDArray frozenForward(NDArray x) {
        return frozen[2].forward(Tensors.silu(frozen[0].forward(x, null)).mul(frozen[1].forward(x, null)), null);
    }

    private NDArray tokenLevel(NDArray x, NDArray logits, TokenRows.Sequences seq, RouterLog log) {
        int n = (int) x.getShape().get(0), e = settings.tokenExperts(), last = e - 1;
        NDManager s = x.getManager();
        NDArray probs = logits.softmax(-1);
        float[] p = Tensors.floats(probs);
        int[] top = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int k = 1; k < last; k++) if (p[i * e + k] > p[i * e + best]) best = k;
            top[i] = best;
        }
        long[] topIdx = new long[n], lastIdx = new long[n];
        for (int i = 0; i < n; i++) {
            topIdx[i] = (long) i * e + top[i];
            lastIdx[i] = (long) i * e + last;
        }
        NDArray flat = probs.reshape(-1);
        NDArray pTop = flat.get(new NDIndex("{}", s.create(topIdx))).reshape(n, 1);
        NDArray pLast = flat.get(new NDIndex("{}", s.create(lastIdx))).reshape(n, 1);
        NDArray sum = pTop.add(pLast);
        NDArray out = frozenForward(x).mul(pLast.div(sum));
        // routed experts on their tokens, in expert order: one gather in, one split, one concat, one gather back
        int[] order = new int[n], counts = new int[last];
        for (int t : top) counts[t]++;
        int[] at = new int[last];
        for (int k = 1; k < last; k++) at[k] = at[k - 1] + counts[k - 1];
        int[] inv = new int[n];
        for (int i = 0; i < n; i++) {
            int pos = at[top[i]]++;
            order[pos] = i;
            inv[i] = pos;
        }
        NDArray xs = x.get(new NDIndex("{}", s.create(longs(order))));
        // one split (its backward is one concat; a slice per expert would zero-fill a full-size gradient each)
        long[] cuts = new long[last - 1];
        for (int k = 1; k < last; k++) cuts[k - 1] = at[k - 1];
        NDList rowsOf = xs.split(cuts, 0);
        NDList pieces = new NDList();
        for (int k = 0; k < last; k++) if (counts[k] > 0) pieces.add(tokenExperts[k].forward(rowsOf.get(k)));
        NDArray routed = pieces.size() == 1 ? pieces.get(0) : NDArrays.concat(pieces, 0);
        routed = routed.get(new NDIndex("{}", s.create(longs(inv))));
        out = out.add(routed.mul(pTop.div(sum)));
        if (log != null) tokenAux(logits, probs, top, seq, log);
        return out;
    }

    /**
     * Per sequence, in float32: the Switch load-balancing loss E x sum_e f_e P_e over its real tokens (f_e: share of the
     * token's two assignments, top-1 and the frozen expert, that went to e; P_e: mean router probability of e) and the
     * language-prior loss, the mean -log p(frozen expert) over its natural-language tokens; and the top-1 counts.
     */
    private void tokenAux(NDArray logits, NDArray probs, int[] top, TokenRows.Sequences seq, RouterLog log) {
        NDManager s = logits.getManager();
        int b = seq.count(), t = seq.stride(), e = settings.tokenExperts(), n = b * t;
        float[] mean = new float[b * n], prior = new float[b * n], f = new float[b * e];
        for (int q = 0; q < b; q++) {
            int len = seq.lengths()[q], nl = 0;
            for (int i = 0; i < len; i++) if (seq.routes()[q * t + i] == Route.NL) nl++;
            for (int i = 0; i < len; i++) {
                int row = q * t + i, route = seq.routes()[row];
                mean[q * n + row] = 1f / len;
                if (route == Route.NL) prior[q * n + row] = 1f / nl;
                f[q * e + top[row]] += 0.5f / len;
                log.countToken(route, top[row], e);
                log.countToken(route, e - 1, e);
            }
            f[q * e + e - 1] += 0.5f;
        }
        NDArray p32 = Tensors.widen(probs);
        NDArray meanP = s.create(mean, new Shape(b, n)).matMul(p32); // [b, e]
        NDArray lb = meanP.mul(s.create(f, new Shape(b, e))).sum(new int[] {1}).mul(s.create((float) (e * settings.loadBalanceCoefficient())));
        NDArray logLast = Tensors.widen(logits).logSoftmax(-1).get(new NDIndex(":, " + (e - 1) + ":" + e)); // [n, 1]
        NDArray lpr = s.create(prior, new Shape(b, n)).matMul(logLast).reshape(b).mul(s.create((float) -settings.languagePriorCoefficient()));
        log.addAux(lb.add(lpr));
    }

    /** Segment level over every sequence's windows; null when no expert took any window. */
    private NDArray segmentLevel(NDArray x, TokenRows.Sequences seq, RouterLog log) {
        NDManager s = x.getManager();
        int w = settings.window(), f = settings.segmentExperts(), t = seq.stride(), n = (int) x.getShape().get(0);
        int hidden = (int) x.getShape().get(1);
        // windows in sequence order; a short last window repeats its last real token, which leaves the max unchanged
        List<int[]> windows = new ArrayList<>(); // {sequence, first row, rows}
        for (int q = 0; q < seq.count(); q++) {
            int len = seq.lengths()[q];
            for (int a = 0; a < len; a += w) windows.add(new int[] {q, q * t + a, Math.min(w, len - a)});
        }
        int v = windows.size();
        if (v == 0) return null;
        long[] pool = new long[v * w];
        for (int j = 0; j < v; j++) {
            int[] win = windows.get(j);
            for (int k = 0; k < w; k++) pool[j * w + k] = win[1] + Math.min(k, win[2] - 1);
        }
        NDArray pooled = x.get(new NDIndex("{}", s.create(pool))).reshape(v, w, hidden).max(new int[] {1});
        NDArray segProbs = pooled.matMul(routerT.get(new NDIndex(":, " + settings.tokenExperts() + ":"))).softmax(-1); // [v, f]
        float[] sp = Tensors.floats(segProbs);
        // expert choice within each sequence
        List<List<Integer>> taken = new ArrayList<>();
        for (int k = 0; k < f; k++) taken.add(new ArrayList<>());
        int first = 0;
        while (first < v) {
            int q = windows.get(first)[0], end = first;
            while (end < v && windows.get(end)[0] == q) end++;
            choose(sp, first, end, taken);
            first = end;
        }
        // each expert's rows, weighted by its gate; a row collects at most maxExpertsPerSegment contributions
        int slots = settings.maxExpertsPerSegment();
        List<Long> rowIdx = new ArrayList<>(), gateIdx = new ArrayList<>();
        int[][] slot = new int[slots][];
        NDList outs = new NDList();
        int m = 0;
        int[] filled = new int[n];
        List<int[]> contributions = new ArrayList<>(); // {row, position in Y}
        for (int k = 0; k < f; k++) {
            if (taken.get(k).isEmpty()) continue;
            int from = rowIdx.size();
            for (int j : taken.get(k)) {
                int[] win = windows.get(j);
                for (int r = 0; r < win[2]; r++) {
                    int row = win[1] + r;
                    rowIdx.add((long) row);
                    gateIdx.add((long) j * f + k);
                    contributions.add(new int[] {row, m++});
                    if (log != null) log.countSegment(seq.routes()[row], k, f);
                }
            }
            NDArray xr = x.get(new NDIndex("{}", s.create(toLongs(rowIdx.subList(from, rowIdx.size())))));
            outs.add(segmentExperts[k].forward(xr));
        }
        if (m == 0) return null;
        NDArray gates = segProbs.reshape(-1).get(new NDIndex("{}", s.create(toLongs(gateIdx)))).reshape(m, 1);
        NDArray y = (outs.size() == 1 ? outs.get(0) : NDArrays.concat(outs, 0)).mul(Tensors.scale(gates, perWindow));
        NDArray yz = y.concat(s.zeros(new Shape(1, hidden), y.getDataType()), 0); // row m: nothing
        for (int j = 0; j < slots; j++) {
            slot[j] = new int[n];
            Arrays.fill(slot[j], m);
        }
        for (int[] c : contributions) slot[filled[c[0]]++][c[0]] = c[1];
        NDArray out = null;
        for (int j = 0; j < slots; j++) {
            boolean any = false;
            for (int r = 0; r < n && !any; r++) any = slot[j][r] != m;
            if (!any) break;
            NDArray part = yz.get(new NDIndex("{}", s.create(longs(slot[j]))));
            out = out == null ? part : out.add(part);
        }
        return out;
    }

    /**
     * Expert choice over windows [first, end) of one sequence: experts in index order each take their top
     * ceil(v x capacity / F) windows by gate (ties: the earlier window), skipping windows already taken
     * maxExpertsPerSegment times (the reference's greedy order).
     */
    private void choose(float[] sp, int first, int end, List<List<Integer>> taken) {
        int f = settings.segmentExperts(), v = end - first;
        int k = (int) Math.min(v, Math.ceil(v * settings.capacity() / f));
        int[] count = new int[v];
        for (int e = 0; e < f; e++) {
            Integer[] idx = new Integer[v];
            for (int j = 0; j < v; j++) idx[j] = j;
            final int ex = e;
            Arrays.sort(idx, (a, b) -> Float.compare(sp[(first + b) * f + ex], sp[(first + a) * f + ex]));
            int got = 0;
            for (int j = 0; j < v && got < k; j++) {
                if (count[idx[j]] < settings.maxExpertsPerSegment()) {
                    count[idx[j]]++;
                    taken.get(e).add(first + idx[j]);
                    got++;
                }
            }
        }
    }

    private static long[] longs(int[] xs) {
        long[] out = new long[xs.length];
        for (int i = 0; i < out.length; i++) out[i] = xs[i];
        return out;
    }

    private static long[] toLongs(List<Long> xs) {
        long[] out = new long[xs.size()];
        for (int i = 0; i < out.length; i++) out[i] = xs.get(i);
        return out;
    }
}
