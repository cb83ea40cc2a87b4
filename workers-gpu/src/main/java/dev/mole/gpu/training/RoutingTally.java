package dev.mole.gpu.training;

import dev.mole.contracts.training.RoutingCounts;
import dev.mole.gpu.model.internal.RouterLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Sums the router choices of the forward passes of one optimiser step into the progress events' {@link RoutingCounts}. */
final class RoutingTally {
    private final Map<String, long[]> token = new TreeMap<>();
    private final Map<String, long[]> segment = new TreeMap<>();

    void add(RouterLog log) {
        merge(token, log.tokenChoices());
        merge(segment, log.segmentChoices());
    }

    private static void merge(Map<String, long[]> into, Map<String, long[]> from) {
        from.forEach((label, counts) -> {
            long[] sum = into.computeIfAbsent(label, k -> new long[counts.length]);
            for (int i = 0; i < counts.length; i++) sum[i] += counts[i];
        });
    }

    RoutingCounts counts() {
        return new RoutingCounts(lists(token), lists(segment));
    }

    private static Map<String, List<Long>> lists(Map<String, long[]> m) {
        Map<String, List<Long>> out = new TreeMap<>();
        m.forEach((k, v) -> {
            List<Long> l = new ArrayList<>(v.length);
            for (long x : v) l.add(x);
            out.put(k, l);
        });
        return out;
    }
}
