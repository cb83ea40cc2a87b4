package dev.mole.gpu.model;

import java.util.SplittableRandom;

/** Picks a sequence's next token from its logits as its {@link Sampling} says. One instance per sequence. */
final class TokenSampler {
    private final Sampling sampling;
    private final SplittableRandom random;

    TokenSampler(Sampling sampling) {
        this.sampling = sampling;
        this.random = sampling.isGreedy() ? null : new SplittableRandom(sampling.seed());
    }

    int next(float[] logits) {
        if (sampling.isGreedy()) return argmax(logits);
        int v = logits.length;
        double max = logits[argmax(logits)];
        double[] w = new double[v];
        double total = 0;
        for (int i = 0; i < v; i++) total += w[i] = Math.exp((logits[i] - max) / sampling.temperature());
        double u = random.nextDouble(); // exactly one draw per token keeps the stream aligned with the token index
        return sampling.topP() >= 1 ? pick(w, total, u) : pickNucleus(w, total, u, sampling.topP());
    }

    /** Inverse CDF over the whole vocabulary, in index order. */
    private static int pick(double[] w, double total, double u) {
        double target = u * total, acc = 0;
        int last = 0;
        for (int i = 0; i < w.length; i++) {
            if (w[i] == 0) continue;
            acc += w[i];
            last = i;
            if (acc > target) return i;
        }
        return last;
    }

    /**
     * Top-p: the smallest set of most likely tokens whose mass reaches p, renormalised; weights are ranked in float
     * precision, equal ones by lower index. Only tokens with weight >= (1 - p) / V of the total can be in the set (those
     * below hold less than 1 - p together, so the rest holds more than p), which spares sorting the whole vocabulary.
     */
    private static int pickNucleus(double[] w, double total, double u, double p) {
        double floor = (1 - p) / w.length * total;
        int n = 0;
        long[] keys = new long[w.length];
        for (int i = 0; i < w.length; i++) {
            // positive floats order like their bit patterns: ascending keys = descending weight, then ascending index
            if (w[i] >= floor && w[i] > 0) keys[n++] = ((long) (Integer.MAX_VALUE - Float.floatToIntBits((float) w[i])) << 32) | i;
        }
        java.util.Arrays.sort(keys, 0, n);
        int kept = 0;
        double mass = 0;
        while (kept < n && mass < p * total) mass += w[(int) keys[kept++]];
        double target = u * mass, acc = 0;
        for (int k = 0; k < kept; k++) {
            acc += w[(int) keys[k]];
            if (acc > target) return (int) keys[k];
        }
        return (int) keys[kept - 1];
    }

    /** Greedy choice: the largest logit, the lowest index on ties. */
    static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
        return best;
    }
}
