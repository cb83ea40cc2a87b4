package dev.mole.orchestrator.finetune;

import dev.mole.contracts.storage.ObjectRef;
import dev.mole.contracts.training.FinetuneRequest;
import dev.mole.contracts.training.TrainingHyperParameters;
import dev.mole.contracts.training.TrainingMethod;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * A finetune as a person asks for it, from the console's form ({@code POST /api/finetunes}) or {@code ./mole finetune}:
 * every field but {@code dataset} and {@code baseCheckpoint} optional, hyper-parameters defaulting to the paper's
 * ({@link TrainingHyperParameters#paper()}). {@link #toRequest} checks each field and says which one is wrong, before a
 * GPU worker would find out hours later; {@link FinetuneOrders} adds the lookups in the catalog and the object store.
 *
 * @param dataset        a dataset id (or a unique prefix of one, as the console shows it) or a manifest's s3:// URI
 * @param baseCheckpoint the s3://bucket/prefix folder holding the base model
 * @param method         MOLE (default), ALL_LANG, PER_LANG, FULL_FT or NO_FT, in any case
 * @param variant        MoLE shared+expert ranks ("48+16", the default), or the LoRA rank of ALL_LANG/PER_LANG ("64")
 * @param init           shared_first (default), shared_last, std, or nl_expert (MoLE only)
 * @param seeds          one training per seed (default 1, 2, 3)
 * @param precision      fp32 (default) or fp16 (half-precision compute with fp32 master weights; for GPUs)
 */
public record FinetuneOrder(
        String name,
        String dataset,
        String baseCheckpoint,
        String method,
        String variant,
        String init,
        List<Long> seeds,
        Double learningRate,
        Integer effectiveBatch,
        Integer epochs,
        Integer maxLength,
        Integer maxSteps,
        Integer validationEvery,
        Integer checkpointEvery,
        Double weightDecay,
        String precision) {

    static final List<String> INITS = List.of("shared_first", "shared_last", "std", "nl_expert");
    static final int MAX_SEEDS = 16;

    /**
     * Checks every field, then asks {@code manifestOfDataset} for the dataset's manifest (a lookup that may fail for its
     * own reasons, after the fields are known to be right).
     *
     * @throws IllegalArgumentException naming the field and what is wrong with it
     */
    public FinetuneRequest toRequest(Function<String, ObjectRef> manifestOfDataset) {
        TrainingMethod m = parsedMethod();
        String v = checkedVariant(m);
        String i = checkedInit(m);
        List<Long> s = checkedSeeds();
        TrainingHyperParameters hyper = checkedHyper();
        String label = name == null || name.isBlank() ? defaultName(m, v) : name.trim();
        if (label.length() > 200) {
            throw new IllegalArgumentException("name must be at most 200 characters; got " + label.length());
        }
        ObjectRef base = baseFolder();
        if (dataset == null || dataset.isBlank()) {
            throw new IllegalArgumentException("dataset is required: a dataset id or the s3:// URI of a dataset manifest");
        }
        return new FinetuneRequest(label, m, v, i, s, hyper, manifestOfDataset.apply(dataset.trim()), base);
    }

    /** The same order on another base folder: the CLI's, once it has uploaded a local one. */
    public FinetuneOrder withBaseCheckpoint(String uri) {
        return new FinetuneOrder(name, dataset, uri, method, variant, init, seeds, learningRate, effectiveBatch, epochs,
                maxLength, maxSteps, validationEvery, checkpointEvery, weightDecay, precision);
    }

    private ObjectRef baseFolder() {
        if (baseCheckpoint == null || baseCheckpoint.isBlank()) {
            throw new IllegalArgumentException("baseCheckpoint is required: the s3://bucket/prefix folder of the base "
                    + "model");
        }
        String u = baseCheckpoint.trim();
        if (!ObjectRef.isObjectUri(u)) {
            throw new IllegalArgumentException("baseCheckpoint must be an s3://bucket/prefix folder; got '"
                    + baseCheckpoint + "'");
        }
        return objectRef("baseCheckpoint", u.replaceAll("/+$", ""));
    }

    /** Parses an s3:// URI given in {@code field}, with a message that names the field. */
    static ObjectRef objectRef(String field, String uri) {
        try {
            return ObjectRef.parse(uri);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + " '" + uri + "' needs a bucket and a key: s3://bucket/key");
        }
    }

    private TrainingMethod parsedMethod() {
        if (method == null || method.isBlank()) {
            return TrainingMethod.MOLE;
        }
        try {
            return TrainingMethod.valueOf(method.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("method must be one of " + Arrays.toString(TrainingMethod.values())
                    + "; got '" + method + "'");
        }
    }

    private String checkedVariant(TrainingMethod m) {
        String v = variant == null ? "" : variant.trim();
        return switch (m) {
            case MOLE -> {
                if (v.isEmpty()) {
                    yield "48+16";
                }
                if (!v.matches("\\d{1,4}\\+\\d{1,4}") || v.matches("0+\\+0+")) {
                    throw new IllegalArgumentException("variant of MOLE must be shared+expert ranks such as 48+16 or "
                            + "64+0; got '" + variant + "'");
                }
                yield v;
            }
            case ALL_LANG, PER_LANG -> {
                if (v.isEmpty()) {
                    yield "64";
                }
                if (!v.matches("\\d{1,4}") || Integer.parseInt(v) == 0) {
                    throw new IllegalArgumentException("variant of " + m + " must be a LoRA rank such as 64; got '"
                            + variant + "'");
                }
                yield v;
            }
            case FULL_FT, NO_FT, MULTIPL_MOE -> {
                if (!v.isEmpty()) {
                    throw new IllegalArgumentException("variant does not apply to " + m + " (it has no LoRA adapters); "
                            + "leave it empty");
                }
                yield null;
            }
        };
    }

    private String checkedInit(TrainingMethod m) {
        String i = init == null ? "" : init.trim().toLowerCase(Locale.ROOT);
        if (m == TrainingMethod.FULL_FT || m == TrainingMethod.NO_FT || m == TrainingMethod.MULTIPL_MOE) {
            if (!i.isEmpty()) {
                throw new IllegalArgumentException("init does not apply to " + m + " (it has no LoRA adapters); leave it empty");
            }
            return null;
        }
        if (i.isEmpty()) {
            return "shared_first";
        }
        if (!INITS.contains(i)) {
            throw new IllegalArgumentException("init must be one of " + String.join(", ", INITS) + "; got '" + init + "'");
        }
        if (i.equals("nl_expert") && m != TrainingMethod.MOLE) {
            throw new IllegalArgumentException("init nl_expert is a MoLE layout; " + m + " takes shared_first, "
                    + "shared_last or std");
        }
        return i;
    }

    private List<Long> checkedSeeds() {
        if (seeds == null || seeds.isEmpty()) {
            return List.of(1L, 2L, 3L);
        }
        if (seeds.stream().anyMatch(java.util.Objects::isNull)) { // not contains(null): immutable lists throw on it
            throw new IllegalArgumentException("seeds must be whole numbers; got " + seeds);
        }
        if (seeds.size() > MAX_SEEDS) {
            throw new IllegalArgumentException("seeds may list at most " + MAX_SEEDS + " seeds; got " + seeds.size());
        }
        Set<Long> seen = new HashSet<>();
        for (Long seed : seeds) {
            if (!seen.add(seed)) {
                throw new IllegalArgumentException("seeds must be distinct; " + seed + " is listed twice");
            }
        }
        return List.copyOf(seeds);
    }

    private TrainingHyperParameters checkedHyper() {
        TrainingHyperParameters p = TrainingHyperParameters.paper();
        double lr = learningRate == null ? p.learningRate() : learningRate;
        if (!(lr > 0 && lr <= 1)) {
            throw new IllegalArgumentException("learningRate must be above 0 and at most 1; got " + learningRate);
        }
        double wd = weightDecay == null ? p.weightDecay() : weightDecay;
        if (!(wd >= 0 && wd <= 1)) {
            throw new IllegalArgumentException("weightDecay must be between 0 and 1; got " + weightDecay);
        }
        return new TrainingHyperParameters(lr, p.beta1(), p.beta2(), p.epsilon(), wd, p.warmupShare(),
                p.endLearningRateFactor(),
                within("effectiveBatch", effectiveBatch, p.effectiveBatch(), 1, 65_536),
                within("epochs", epochs, p.epochs(), 1, 1_000),
                within("maxLength", maxLength, p.maxLength(), 8, 1 << 20),
                within("validationEvery", validationEvery, p.validationEvery(), 0, Integer.MAX_VALUE),
                within("checkpointEvery", checkpointEvery, p.checkpointEvery(), 0, Integer.MAX_VALUE),
                within("maxSteps", maxSteps, p.maxSteps(), 0, Integer.MAX_VALUE),
                precision == null || precision.isBlank() ? p.precision() : precision); // the contract says what it accepts
    }

    private static int within(String field, Integer value, int paper, int min, int max) {
        int v = value == null ? paper : value;
        if (v < min || v > max) {
            throw new IllegalArgumentException(field + (max == Integer.MAX_VALUE ? " must be at least " + min
                    : " must be between " + min + " and " + max) + "; got " + value);
        }
        return v;
    }

    private static String defaultName(TrainingMethod m, String variant) {
        String method = m.name().toLowerCase(Locale.ROOT).replace('_', '-');
        return variant == null ? method : method + " " + variant;
    }
}
