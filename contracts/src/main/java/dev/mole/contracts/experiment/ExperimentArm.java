package dev.mole.contracts.experiment;

import dev.mole.contracts.training.SvdRequest;
import dev.mole.contracts.training.TrainingHyperParameters;
import dev.mole.contracts.training.TrainingMethod;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One arm of an experiment: a training method with its settings, trained (and then evaluated) once per seed. The method
 * is any {@link TrainingMethod}, so a method added later is an arm without a change here; what its variant and init
 * mean is the training activity's to check, except for the shapes checked below that the SVD stage relies on.
 *
 * @param name    unique within the experiment, used in object keys and tables ({@code [a-z0-9][a-z0-9._+-]*}); defaults
 *                to the method and variant, e.g. {@code mole-48+16}, {@code all_lang-64}, {@code no_ft}
 * @param variant MoLE shared+expert ranks ("48+16") or the LoRA rank ("64"); blank takes the method's default
 * @param init    MoLE init ("shared_first", "shared_last", "std", "nl_expert"); blank takes "shared_first"
 * @param hyper   optimiser and loop settings; null takes the paper's
 */
public record ExperimentArm(String name, TrainingMethod method, String variant, String init, TrainingHyperParameters hyper) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._+-]{0,62}");
    private static final Pattern VARIANT_PATTERN = Pattern.compile("\\d{1,4}\\+\\d{1,4}");
    private static final Pattern RANK = Pattern.compile("\\d{1,4}");

    public ExperimentArm {
        Objects.requireNonNull(method, "an arm needs a method");
        variant = variant == null ? "" : variant.trim();
        init = init == null ? "" : init.trim().toLowerCase(Locale.ROOT);
        hyper = hyper == null ? TrainingHyperParameters.paper() : hyper;
        if (method == TrainingMethod.MOLE && !variant.isEmpty() && !VARIANT_PATTERN.matcher(variant).matches()) {
            throw new IllegalArgumentException("MoLE variant '" + variant + "' is not shared+expert ranks such as 48+16");
        }
        if ((method == TrainingMethod.ALL_LANG || method == TrainingMethod.PER_LANG) && !variant.isEmpty()
                && !RANK.matcher(variant).matches()) {
            throw new IllegalArgumentException(method + " variant '" + variant + "' is not a LoRA rank such as 64");
        }
        String fallback = method.name().toLowerCase(Locale.ROOT) + (variant.isEmpty() ? "" : "-" + variant)
                + (init.isEmpty() || init.equals("shared_first") ? "" : "-" + init);
        name = name == null || name.isBlank() ? fallback : name.trim().toLowerCase(Locale.ROOT);
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("arm name '" + name + "' must be lower-case letters, digits and . _ + - (at most 63)");
        }
    }

    public static ExperimentArm of(TrainingMethod method, String variant) {
        return new ExperimentArm(null, method, variant, null, null);
    }

    /** No-FT trains nothing: its arm is the base model evaluated alone, once, whatever the seeds. */
    public boolean trains() {
        return method != TrainingMethod.NO_FT;
    }

    /** The k of the PiSSA factors this arm starts from (the SVD stage computes each distinct k once), 0 for none. */
    public int svdRank() {
        return trains() ? SvdRequest.rankFor(method, variant, init.isEmpty() ? null : init) : 0;
    }
}
