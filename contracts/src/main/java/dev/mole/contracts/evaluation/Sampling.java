package dev.mole.contracts.evaluation;

/**
 * Decoding of one evaluation. Greedy with one sample per task is the paper's Pass@1 protocol; seeded sampling with
 * {@code samples} per task gives the unbiased pass@k that the bigcode harness reports.
 *
 * @param temperature 0 for greedy
 * @param topP        nucleus mass in (0, 1]
 * @param samples     generations per task (1 for greedy)
 * @param seed        base seed; each sample derives its own, so results do not depend on batching
 */
public record Sampling(double temperature, double topP, int samples, long seed) {
    public Sampling {
        if (temperature < 0 || Double.isNaN(temperature)) throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
        if (!(topP > 0 && topP <= 1)) throw new IllegalArgumentException("top-p must be in (0, 1], got " + topP);
        if (samples < 1 || samples > 200) throw new IllegalArgumentException("samples per task must be 1..200, got " + samples);
        if (temperature == 0 && samples != 1) throw new IllegalArgumentException("greedy decoding gives one sample per task; set a temperature for " + samples);
    }

    public static Sampling greedy() {
        return new Sampling(0, 1, 1, 0);
    }

    public boolean greedyDecoding() {
        return temperature == 0;
    }
}
