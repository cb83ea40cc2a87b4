package dev.mole.contracts.training;

import java.util.List;
import java.util.Map;

/**
 * Every seed's result and, per validation-loss key ("all" and each language), the mean and spread over seeds.
 */
public record FinetuneSummary(String runId, List<SeedResult> seeds, Map<String, Spread> validationLoss) {

    public record SeedResult(long seed, TrainingResult result) {}

    /** Mean, sample standard deviation (0 for one seed), min and max over seeds. */
    public record Spread(double mean, double std, double min, double max, int n) {
        public static Spread of(List<Double> values) {
            int n = values.size();
            double mean = values.stream().mapToDouble(Double::doubleValue).sum() / n;
            double ss = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
            return new Spread(mean, n > 1 ? Math.sqrt(ss / (n - 1)) : 0.0,
                    values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
                    values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN), n);
        }
    }
}
