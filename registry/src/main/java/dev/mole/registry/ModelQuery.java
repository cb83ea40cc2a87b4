package dev.mole.registry;

import dev.mole.contracts.language.Language;

/**
 * A search over registered models; every field may be null (no filter).
 *
 * @param baseSha256 models over this base
 * @param language   models with a version holding an expert for this language
 * @param metric     with {@code minValue}: models with a version whose metric is at least that (e.g. pass1.synthesis)
 */
public record ModelQuery(String baseSha256, Language language, String metric, Double minValue, String pageToken, int limit) {
    public static final int MAX_LIMIT = 200;

    public ModelQuery {
        if (limit <= 0) limit = 50;
        if (limit > MAX_LIMIT) throw RegistryException.invalid("limit must be at most " + MAX_LIMIT + ": " + limit);
        if ((metric == null) != (minValue == null)) throw RegistryException.invalid("metric and min go together");
    }

    public static ModelQuery all() {
        return new ModelQuery(null, null, null, null, null, 50);
    }
}
