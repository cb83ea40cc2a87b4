package dev.mole.orchestrator.curation.internal;

/**
 * The 64-bit key that orders a language's kept rows for the validation draw: a function of (seed, row index, row
 * content) only, so the split never depends on threads, timing or which pass asks. Content enters through
 * {@link String#hashCode()}, which the JLS fixes and the JVM caches; the SplitMix64 finaliser spreads it.
 */
public final class SplitHasher {
    private SplitHasher() {}

    public static long hash(long seed, long rowIndex, String question, String answer) {
        long h = mix(seed ^ 0x9E3779B97F4A7C15L);
        h = mix(h ^ rowIndex);
        h = mix(h ^ (((long) question.hashCode() << 32) | (answer.hashCode() & 0xFFFFFFFFL)));
        return mix(h ^ ((long) question.length() << 32 | answer.length()));
    }

    /** SplitMix64 finaliser (Stafford variant 13): a bijection on longs with good avalanche. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
