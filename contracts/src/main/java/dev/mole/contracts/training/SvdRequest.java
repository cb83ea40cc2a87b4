package dev.mole.contracts.training;

import dev.mole.contracts.storage.ObjectRef;
import java.util.Locale;
import java.util.Objects;

/**
 * Asks for the top-k PiSSA factors of a base model.
 *
 * @param baseCheckpoint folder (key prefix) of the base model
 * @param rank           k: the union of every adapter's slice, r_s + r_e for MoLE and r for a single LoRA. The split
 *                       into shared and experts is not asked for, since every slice lies within the top k: MoLE-48+16
 *                       and AllLang-FT r64 read the same factors.
 * @param svd            {@value #RANDOMIZED} (default) or {@value #EXACT}
 * @param folder         the store's root: the factors go to {@code folder/<key>/}
 */
public record SvdRequest(ObjectRef baseCheckpoint, int rank, String svd, ObjectRef folder) {

    /** Randomised top-k SVD (oversampled, power iterations): the default, much faster than the exact one. */
    public static final String RANDOMIZED = "randomized";
    /** Exact thin SVD, truncated to the top k. */
    public static final String EXACT = "exact";

    public SvdRequest {
        Objects.requireNonNull(baseCheckpoint, "baseCheckpoint");
        Objects.requireNonNull(folder, "folder");
        if (rank < 1) throw new IllegalArgumentException("rank must be >= 1: " + rank);
        svd = method(svd);
    }

    /** An SVD method's name in the form requests carry: null or blank gives the default, {@value #RANDOMIZED}. */
    public static String method(String svd) {
        if (svd == null || svd.isBlank()) return RANDOMIZED;
        String s = svd.trim().toLowerCase(Locale.ROOT);
        if (!s.equals(RANDOMIZED) && !s.equals(EXACT)) {
            throw new IllegalArgumentException("svd '" + svd + "' is not supported: use " + RANDOMIZED + " or " + EXACT);
        }
        return s;
    }

    /**
     * The k a training of this method, variant and init starts from stored PiSSA factors of, or 0 when it needs none
     * (std init, Full-FT, No-FT), or when the variant does not parse: the training activity then refuses the request
     * with its own message, as it would without this stage.
     */
    public static int rankFor(TrainingMethod method, String variant, String init) {
        if (init != null && init.trim().equalsIgnoreCase("std")) return 0;
        String v = variant == null ? "" : variant.trim();
        try {
            return switch (method) {
                case MOLE -> {
                    String[] p = (v.isEmpty() ? "48+16" : v).split("\\+");
                    if (p.length != 2) yield 0;
                    int shared = Integer.parseInt(p[0].trim()), expert = Integer.parseInt(p[1].trim());
                    yield shared < 0 || expert < 0 ? 0 : shared + expert;
                }
                case ALL_LANG, PER_LANG -> Math.max(0, Integer.parseInt(v.isEmpty() ? "64" : v));
                case FULL_FT, NO_FT, MULTIPL_MOE -> 0;
            };
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
