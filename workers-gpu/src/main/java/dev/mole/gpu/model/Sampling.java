package dev.mole.gpu.model;

/**
 * How each next token is picked: greedy (temperature 0: argmax, lowest index on ties) or sampled from the softmax at
 * {@code temperature}, restricted to the smallest set of most likely tokens holding {@code topP} of the probability.
 * A sampled sequence draws from its own random stream seeded by {@code seed}, one draw per token, so it is reproducible
 * and does not depend on which other sequences share its batch (pass@k: k seeds).
 */
public record Sampling(double temperature, double topP, long seed) {

    private static final Sampling GREEDY = new Sampling(0, 1, 0);

    public Sampling {
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a finite number >= 0, got " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
    }

    public static Sampling greedy() {
        return GREEDY;
    }

    public static Sampling of(double temperature, double topP, long seed) {
        return new Sampling(temperature, topP, seed);
    }

    public boolean isGreedy() {
        return temperature == 0;
    }
}
