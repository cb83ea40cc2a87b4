package dev.mole.gpu.training;

/**
 * Learning rate per optimiser step (0-based), as Hugging Face's linear schedule computes it: {@code peak * step / warmup}
 * while warming up (so the very first step uses 0, like the reference), then a straight line from the peak down to
 * {@code end} at {@code totalSteps}.
 */
public record LinearWarmupDecay(double peak, double end, long warmupSteps, long totalSteps) {

    public LinearWarmupDecay {
        if (totalSteps < 1 || warmupSteps < 0 || warmupSteps > totalSteps) {
            throw new IllegalArgumentException("bad schedule: warm-up " + warmupSteps + " of " + totalSteps + " steps");
        }
    }

    /** Warm-up over {@code ceil(share * total)} steps, ending at {@code endFactor * peak}. */
    public static LinearWarmupDecay of(double peak, double warmupShare, double endFactor, long totalSteps) {
        return new LinearWarmupDecay(peak, peak * endFactor, (long) Math.ceil(warmupShare * totalSteps), totalSteps);
    }

    public double at(long step) {
        if (step < warmupSteps) return peak * step / warmupSteps;
        if (totalSteps == warmupSteps) return peak;
        double frac = Math.max(0.0, (double) (totalSteps - step) / (totalSteps - warmupSteps));
        return end + (peak - end) * frac;
    }
}
