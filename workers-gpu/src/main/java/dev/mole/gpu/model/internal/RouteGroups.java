package dev.mole.gpu.model.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.mole.gpu.model.Route;
import java.util.ArrayList;
import java.util.List;

/**
 * Tokens of one forward pass grouped by route, built once per step and shared by every adapted projection.
 *
 * <p>Sorted order is NL, c, cpp, ..., rust, padding. In that order every adapter of our layouts covers one contiguous range
 * (shared: all code tokens; nl: NL tokens; an expert: its language), and the tokens fall into {@link #runs}: maximal
 * ranges whose tokens all use the same adapters (MoLE: NL, then one run per language, then padding). Adapters run per run.
 */
public final class RouteGroups {

    /** A run of tokens with one route in sorted order: [lo, hi). */
    private record Segment(int route, int lo, int hi, int[] adapters) {}

    /**
     * A maximal run of sorted tokens that use the same adapters (adjacent segments merged): [lo, hi). Every token of a run
     * gets the same adapter delta, so a run is one block of the fused adapter computation ({@code MoleLinear}).
     */
    public record Run(int lo, int hi, int[] adapters) {}

    private final int n;
    private final int[] routes;
    private final int[][] table;
    private final int adapterCount;
    private final NDManager step;
    private final boolean identity;
    private final NDArray perm;
    private final NDArray invPerm;
    private final List<Segment> segments = new ArrayList<>();
    private final int[] adapterLo;
    private final int[] adapterHi;
    private final NDArray[] masks;
    private final boolean sortNeeded;
    private final int[] sortedOrder;
    private final List<Run> runs = new ArrayList<>();
    private final long[] runStarts;

    public RouteGroups(NDManager step, int[] routes, int[][] table, int adapterCount) {
        this.step = step;
        this.n = routes.length;
        this.routes = routes.clone();
        this.table = table;
        this.adapterCount = adapterCount;
        int[] sorted = new int[n];
        int pos = 0;
        for (int key = 0; key < Route.COUNT; key++) {
            int route = routeOfKey(key);
            int lo = pos;
            for (int t = 0; t < n; t++) if (routes[t] == route) sorted[pos++] = t;
            if (pos > lo) segments.add(new Segment(route, lo, pos, table[Route.slot(route)]));
        }
        if (pos != n) throw new IllegalArgumentException("unknown route code among " + java.util.Arrays.toString(routes));
        boolean id = true;
        for (int i = 0; i < n; i++) id &= sorted[i] == i;
        identity = id;
        sortedOrder = sorted;
        if (id) {
            perm = null;
            invPerm = null;
        } else {
            long[] p = new long[n], ip = new long[n];
            for (int i = 0; i < n; i++) {
                p[i] = sorted[i];
                ip[sorted[i]] = i;
            }
            perm = step.create(p);
            invPerm = step.create(ip);
        }
        adapterLo = new int[adapterCount];
        adapterHi = new int[adapterCount];
        java.util.Arrays.fill(adapterLo, -1);
        for (Segment s : segments) {
            for (int a : s.adapters()) {
                if (adapterLo[a] < 0) {
                    adapterLo[a] = s.lo();
                } else if (adapterHi[a] != s.lo()) {
                    throw new IllegalStateException("adapter " + a + " covers non-contiguous routes; layout not supported");
                }
                adapterHi[a] = s.hi();
            }
        }
        masks = new NDArray[adapterCount];
        boolean r = false;
        for (int a = 0; a < adapterCount; a++) r |= adapterLo[a] >= 0 && !(adapterLo[a] == 0 && adapterHi[a] == n);
        sortNeeded = !identity && r;
        for (Segment s : segments) {
            Run last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
            if (last != null && java.util.Arrays.equals(last.adapters(), s.adapters())) {
                runs.set(runs.size() - 1, new Run(last.lo(), s.hi(), last.adapters()));
            } else {
                runs.add(new Run(s.lo(), s.hi(), s.adapters()));
            }
        }
        // when no sort is needed every used adapter covers every token, so all segments have one adapter set: one run, and
        // its [0, n) holds whatever order the tokens are in
        if (!sortNeeded && !identity && runs.size() != 1) throw new IllegalStateException("unsorted tokens in several runs");
        runStarts = new long[Math.max(0, runs.size() - 1)];
        for (int i = 1; i < runs.size(); i++) runStarts[i - 1] = runs.get(i).lo();
    }

    /**
     * Whether grouped routing has to put the tokens in sorted order: some adapter covers only part of them and they are
     * not already sorted. False for a single LoRA over unpadded tokens (every used adapter covers every token).
     */
    public boolean sortNeeded() {
        return sortNeeded;
    }

    /** Token indices in sorted order: sorted position i holds token {@code sortedOrder()[i]}. */
    public int[] sortedOrder() {
        return sortedOrder.clone();
    }

    /** Routes in sorted order (their own groups are the identity). */
    public int[] sortedRoutes() {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) r[i] = routes[sortedOrder[i]];
        return r;
    }

    public int[][] table() {
        return table;
    }

    /** Sort keys: NL first (key 0), then languages in enum order (1..8), padding last. */
    private static int routeOfKey(int key) {
        if (key == Route.COUNT - 1) return Route.PAD;
        return key; // NL == 0, code(l) == 1 + ordinal
    }

    public int size() {
        return n;
    }

    public boolean identity() {
        return identity;
    }

    public NDArray perm() {
        return perm;
    }

    public NDArray invPerm() {
        return invPerm;
    }

    /** Maximal runs of sorted tokens with one adapter set, in sorted order; one run when every token uses the same set. */
    public List<Run> runs() {
        return runs;
    }

    /** Where runs 2.. start: the split points of sorted rows into runs ({@code NDArray.split(long[], 0)}). */
    public long[] runStarts() {
        return runStarts.clone();
    }

    /** [n, 1] 0/1 mask (original order) of the tokens that use adapter a; null when none does. Built once per step. */
    public NDArray mask(int adapter) {
        if (adapterLo[adapter] < 0) return null;
        if (masks[adapter] == null) {
            float[] m = new float[n];
            for (int t = 0; t < n; t++) {
                for (int a : table[Route.slot(routes[t])]) if (a == adapter) m[t] = 1f;
            }
            masks[adapter] = step.create(m, new Shape(n, 1));
        }
        return masks[adapter];
    }

    /** Like {@link #mask} but an all-zero mask when no token uses the adapter (the naive form still pays for it). */
    public NDArray maskOrZeros(int adapter) {
        NDArray m = mask(adapter);
        if (m != null) return m;
        if (masks[adapter] == null) masks[adapter] = step.zeros(new Shape(n, 1));
        return masks[adapter];
    }

    public NDManager step() {
        return step;
    }

    public int adapterCount() {
        return adapterCount;
    }
}
