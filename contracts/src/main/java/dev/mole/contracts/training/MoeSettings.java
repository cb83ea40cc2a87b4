package dev.mole.contracts.training;

/**
 * The settings of a MultiPL-MoE run (docs/multipl-moe.md): an upcycled mixture of experts on every layer's MLP, with a
 * token-level and a segment-level half routed by one learned router per layer. Validated here, once, for every caller.
 *
 * @param tokenExperts             token-level experts; the last one is the frozen always-on expert (the dense MLP), each
 *                                 token also takes the top-1 of the others (paper: 6)
 * @param segmentExperts           segment-level experts (paper: 6); the router has tokenExperts + segmentExperts rows
 * @param window                   tokens per segment, non-overlapping, the last one of a sequence padded (paper: 64)
 * @param capacity                 expert choice: each segment expert takes ceil(segments x capacity / segmentExperts)
 *                                 segments of a sequence (paper: 1.0, with floor; see the page for why ceil)
 * @param maxExpertsPerSegment     a segment is taken by at most this many segment experts (paper: 4)
 * @param tokenWeight              weight of the token-level output (paper: 0.7)
 * @param segmentWeight            weight of the segment-level output (paper: 0.3)
 * @param loadBalanceCoefficient   Switch-style load-balancing loss on the token router (paper: 1e-2)
 * @param languagePriorCoefficient language-prior routing loss: natural-language tokens towards the frozen expert
 *                                 (paper: 1e-3)
 * @param expertSize               FULL copies of the MLP (paper) or LOW_RANK adapters on the frozen MLP
 * @param expertRank               LoRA rank of a LOW_RANK expert's projections; 0 for FULL
 * @param expertAlpha              LoRA alpha of LOW_RANK experts (rsLoRA scale alpha / sqrt(rank)); ignored for FULL
 */
public record MoeSettings(
        int tokenExperts,
        int segmentExperts,
        int window,
        double capacity,
        int maxExpertsPerSegment,
        double tokenWeight,
        double segmentWeight,
        double loadBalanceCoefficient,
        double languagePriorCoefficient,
        ExpertSize expertSize,
        int expertRank,
        double expertAlpha) {

    /** How big one trainable expert is. */
    public enum ExpertSize {
        /** A full copy of gate/up/down (the paper's upcycling). */
        FULL,
        /** The frozen gate/up/down plus a LoRA pair on each, so trainable parameters can match MoLE's. */
        LOW_RANK
    }

    public MoeSettings {
        require(tokenExperts >= 2, "tokenExperts must be at least 2 (the top-1 of experts 0..n-2 plus the frozen expert n-1), got "
                + tokenExperts);
        require(segmentExperts >= 1, "segmentExperts must be at least 1, got " + segmentExperts);
        require(window >= 1, "window must be at least 1 token, got " + window);
        require(capacity > 0 && Double.isFinite(capacity), "capacity must be positive, got " + capacity);
        require(maxExpertsPerSegment >= 1 && maxExpertsPerSegment <= segmentExperts,
                "maxExpertsPerSegment must lie in 1.." + segmentExperts + " (the segment experts), got " + maxExpertsPerSegment);
        require(tokenWeight >= 0 && segmentWeight >= 0 && tokenWeight + segmentWeight > 0,
                "tokenWeight and segmentWeight must be >= 0 and not both 0, got " + tokenWeight + " and " + segmentWeight);
        require(loadBalanceCoefficient >= 0 && languagePriorCoefficient >= 0,
                "loss coefficients must be >= 0, got " + loadBalanceCoefficient + " and " + languagePriorCoefficient);
        if (expertSize == null) throw new IllegalArgumentException("expertSize is required (FULL or LOW_RANK)");
        if (expertSize == ExpertSize.FULL) {
            require(expertRank == 0, "expertRank applies to LOW_RANK experts only; FULL experts need 0, got " + expertRank);
        } else {
            require(expertRank >= 1, "LOW_RANK experts need expertRank >= 1, got " + expertRank);
            require(expertAlpha > 0, "LOW_RANK experts need expertAlpha > 0, got " + expertAlpha);
        }
    }

    /** The paper's settings: 6 + 6 experts, window 64, capacity 1, 4 per segment, 0.7 / 0.3, 1e-2 / 1e-3, FULL. */
    public static MoeSettings paper() {
        return new MoeSettings(6, 6, 64, 1.0, 4, 0.7, 0.3, 1e-2, 1e-3, ExpertSize.FULL, 0, 0);
    }

    /** The paper's routing with LOW_RANK experts of {@code rank} (alpha = rank, so the rsLoRA scale is sqrt(rank)). */
    public static MoeSettings lowRank(int rank) {
        MoeSettings p = paper();
        return new MoeSettings(p.tokenExperts, p.segmentExperts, p.window, p.capacity, p.maxExpertsPerSegment, p.tokenWeight,
                p.segmentWeight, p.loadBalanceCoefficient, p.languagePriorCoefficient, ExpertSize.LOW_RANK, rank, rank);
    }

    /**
     * The settings a request of {@code method} carries: MULTIPL_MOE's own (the paper's when null); null for every other
     * method, which refuses settings it would ignore.
     */
    public static MoeSettings forMethod(TrainingMethod method, MoeSettings given) {
        if (method != TrainingMethod.MULTIPL_MOE) {
            if (given != null) throw new IllegalArgumentException("MultiPL-MoE settings do not apply to " + method);
            return null;
        }
        return given == null ? paper() : given;
    }

    /** Rows of each layer's router: token-level rows first, then segment-level rows. */
    public int routerRows() {
        return tokenExperts + segmentExperts;
    }

    /**
     * The last window of a sequence is padded, so any length works; the window must still divide the maximum length, so
     * a sequence of the maximum length is cut into whole windows and padding never makes a window reach past it.
     */
    public void checkMaxLength(int maxLength) {
        require(window <= maxLength && maxLength % window == 0,
                "window " + window + " must divide the maximum sequence length " + maxLength);
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException("invalid MultiPL-MoE settings: " + message);
    }
}
