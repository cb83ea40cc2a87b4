package dev.mole.console.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mole.contracts.evaluation.EvaluationRequest;
import dev.mole.contracts.evaluation.LanguagePair;
import dev.mole.contracts.evaluation.Oracle;
import dev.mole.contracts.evaluation.Routing;
import dev.mole.contracts.evaluation.Sampling;
import dev.mole.contracts.evaluation.TaskKind;
import dev.mole.contracts.language.Language;
import dev.mole.contracts.storage.ObjectRef;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The body of {@code POST /api/evaluations}, as a person fills the form or a script writes it. Every field but
 * {@code base} is optional (an oracle needs no base); lists may be JSON arrays or comma-separated strings, languages
 * any spelling {@link Language#parse} accepts. Kept apart from {@link EvaluationRequest} so that each refusal names the
 * field to change: the contract's own checks and the platform's model checks are mapped back to their field by
 * {@link #fieldOf}.
 *
 * @param base     the s3:// folder of the base model
 * @param adapters the s3:// URI of a trained output's {@code manifest.json}; absent to evaluate the base alone
 * @param kinds    synthesis, explain, translation (default: all three)
 * @param languages HumanEvalPack languages, or "all" (the default)
 * @param pairs    translation pairs such as python-rust, or "all" (the default when translation is selected)
 */
public record EvaluationForm(
        String name,
        String base,
        String adapters,
        JsonNode kinds,
        JsonNode languages,
        JsonNode pairs,
        Integer limit,
        String routing,
        String translationRouting,
        Boolean specialisation,
        Double temperature,
        Double topP,
        Integer samples,
        Long seed,
        Integer maxNewTokens,
        String oracle) {

    static final int MAX_NAME = 200;

    /**
     * Which field a message of the contract or of the platform's preflight is about, by what it says. Checked in this
     * order: the base mismatch message also mentions the adapters, the greedy-samples one the temperature.
     */
    private static final List<String[]> FIELDS_BY_MESSAGE = List.of(
            new String[] {"is not the one the adapters were trained on", "base"},
            new String[] {"no base model at", "base"},
            new String[] {"adapter", "adapters"},
            new String[] {"trained-model manifest", "adapters"},
            new String[] {"specialisation matrix", "specialisation"},
            new String[] {"task kind", "kinds"},
            new String[] {"EXPLAIN_SYNTHESIS", "kinds"},
            new String[] {"selection holds no task", "kinds"},
            new String[] {"no language selected", "languages"},
            new String[] {"HumanEvalPack language", "languages"},
            new String[] {"no pair", "pairs"},
            new String[] {"limit must", "limit"},
            new String[] {"max new tokens", "maxNewTokens"},
            new String[] {"forced routing", "routing"},
            new String[] {"samples per task", "samples"},
            new String[] {"greedy decoding", "samples"},
            new String[] {"temperature", "temperature"},
            new String[] {"top-p", "topP"});

    EvaluationRequest toRequest() {
        Oracle o = parsedOracle();
        ObjectRef baseRef = baseFolder(o);
        ObjectRef adapterRef = adapterManifest();
        List<TaskKind> k = field("kinds", () -> kinds == null || kinds.isNull()
                ? List.of(TaskKind.SYNTHESIS, TaskKind.EXPLAIN_SYNTHESIS, TaskKind.TRANSLATION)
                : distinct(strings("kinds", kinds), TaskKind::parseRequested));
        List<Language> l = field("languages", () -> languages == null || languages.isNull() || isAll(languages)
                ? Language.humanEvalPack() : distinct(strings("languages", languages), Language::parseHumanEvalPack));
        List<LanguagePair> p = field("pairs", () -> {
            if (pairs == null || pairs.isNull()) {
                return k.contains(TaskKind.TRANSLATION) ? LanguagePair.all() : List.<LanguagePair>of();
            }
            return isAll(pairs) ? LanguagePair.all() : distinct(strings("pairs", pairs), LanguagePair::parse);
        });
        Routing.Mode r = field("routing", () -> blank(routing) ? null : Routing.parseMode(routing));
        Routing.Mode tr = field("translationRouting", () -> blank(translationRouting) ? null
                : Routing.parseMode(translationRouting));
        String label = name == null ? "" : name.trim();
        if (label.length() > MAX_NAME) {
            throw ApiException.badRequest("name must be at most " + MAX_NAME + " characters; got " + label.length());
        }
        try {
            Sampling s = new Sampling(temperature == null ? 0 : temperature, topP == null ? 1 : topP,
                    samples == null ? 1 : samples, seed == null ? 0 : seed);
            return new EvaluationRequest(label, baseRef, adapterRef, k, l, p, limit == null ? 0 : limit, r, tr,
                    Boolean.TRUE.equals(specialisation), s, maxNewTokens == null ? 0 : maxNewTokens, o);
        } catch (IllegalArgumentException e) {
            throw refusal(e);
        }
    }

    /** A refusal of the request (by the contract or by the platform's preflight) as a 400 naming its field. */
    static ApiException refusal(IllegalArgumentException e) {
        String message = e.getMessage();
        String field = fieldOf(message);
        return ApiException.badRequest(field == null ? message : named(field, message));
    }

    static String fieldOf(String message) {
        if (message == null) {
            return null;
        }
        for (String[] rule : FIELDS_BY_MESSAGE) {
            if (message.contains(rule[0])) {
                return rule[1];
            }
        }
        return null;
    }

    /** "limit must be ..." already names its field; "no language selected" gets "languages: " before it. */
    private static String named(String field, String message) {
        return message.toLowerCase(Locale.ROOT).startsWith(field.toLowerCase(Locale.ROOT) + " ") ? message
                : field + ": " + message;
    }

    private Oracle parsedOracle() {
        if (blank(oracle)) {
            return Oracle.NONE;
        }
        return switch (oracle.trim().toLowerCase(Locale.ROOT)) {
            case "none" -> Oracle.NONE;
            case "canonical" -> Oracle.CANONICAL;
            case "buggy" -> Oracle.BUGGY;
            default -> throw ApiException.badRequest("oracle must be none, canonical or buggy; got '" + oracle + "'");
        };
    }

    private ObjectRef baseFolder(Oracle o) {
        if (blank(base)) {
            if (o != Oracle.NONE) {
                return null;
            }
            throw ApiException.badRequest("base is required: the s3://bucket/prefix folder of the base model "
                    + "(or choose an oracle)");
        }
        String u = base.trim();
        if (!ObjectRef.isObjectUri(u)) {
            throw ApiException.badRequest("base must be an s3://bucket/prefix folder; got '" + base + "'");
        }
        return objectRef("base", u.replaceAll("/+$", ""));
    }

    private ObjectRef adapterManifest() {
        if (blank(adapters)) {
            return null;
        }
        String u = adapters.trim();
        if (!ObjectRef.isObjectUri(u)) {
            throw ApiException.badRequest("adapters must be the s3:// URI of a trained output's manifest.json; got '"
                    + adapters + "'");
        }
        return objectRef("adapters", u);
    }

    private static ObjectRef objectRef(String field, String uri) {
        try {
            return ObjectRef.parse(uri);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(field + " '" + uri + "' needs a bucket and a key: s3://bucket/key");
        }
    }

    private interface Parse<T> {
        T get();
    }

    /** Runs one field's parsing; what it refuses is answered naming that field. */
    private static <T> T field(String name, Parse<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(named(name, e.getMessage()));
        }
    }

    private static boolean isAll(JsonNode node) {
        return node.isTextual() && node.asText().trim().equalsIgnoreCase("all");
    }

    /** A JSON array of strings or one comma-separated string; an empty selection is the contract's to refuse. */
    private static List<String> strings(String field, JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isTextual()) {
            for (String part : node.asText().split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
            return out;
        }
        if (!node.isArray()) {
            throw ApiException.badRequest(field + " must be a list of strings or one comma-separated string; got "
                    + node);
        }
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw ApiException.badRequest(field + " must list strings; got " + item);
            }
            out.add(item.asText().trim());
        }
        return out;
    }

    private static <T> List<T> distinct(List<String> names, Function<String, T> parse) {
        LinkedHashSet<T> out = new LinkedHashSet<>();
        for (String n : names) {
            out.add(parse.apply(n));
        }
        return List.copyOf(out);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
