package dev.mole.evaluation;

import java.util.Collection;

/**
 * The unbiased pass@k estimator of the Codex paper (Chen et al. 2021), as the bigcode harness computes it: with n
 * samples of which c pass, pass@k = 1 - C(n-c, k) / C(n, k), evaluated as 1 - prod_{i=n-c+1..n} (1 - k/i) so that no
 * binomial coefficient is formed (they overflow long before n = 200). With greedy decoding n = k = 1 and it is the
 * share of passing tasks.
 */
public final class PassAtK {
    /** One task's samples: {@code n} generated, {@code correct} of them passed. */
    public record Counts(int n, int correct) {
        public Counts {
            check(n, correct, 1);
        }
    }

    private PassAtK() {}

    public static double estimate(int n, int c, int k) {
        check(n, c, k);
        if (n - c < k) {
            return 1.0; // every draw of k samples holds a passing one
        }
        double allFail = 1.0;
        for (int i = n - c + 1; i <= n; i++) {
            allFail *= 1.0 - (double) k / i;
        }
        return 1.0 - allFail;
    }

    /** The benchmark score: the mean of the per-task estimates. */
    public static double mean(int k, Collection<Counts> tasks) {
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("pass@" + k + " of no tasks is undefined");
        }
        return tasks.stream().mapToDouble(t -> estimate(t.n(), t.correct(), k)).sum() / tasks.size();
    }

    private static void check(int n, int c, int k) {
        if (n < 1) {
            throw new IllegalArgumentException("pass@k needs at least one sample per task, got n = " + n);
        }
        if (c < 0 || c > n) {
            throw new IllegalArgumentException("passing samples must be between 0 and n = " + n + ", got c = " + c);
        }
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("k must be between 1 and n = " + n + ", got k = " + k);
        }
    }
}
