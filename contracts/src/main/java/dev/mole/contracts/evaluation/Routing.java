package dev.mole.contracts.evaluation;

import dev.mole.contracts.language.Language;
import java.util.Locale;
import java.util.Objects;

/**
 * How a sample's tokens are routed to experts (docs/mole-protocol.md, "Inference").
 *
 * @param mode     AUTOMATED: fences switch experts as they are generated; MANUAL: every generated token uses
 *                 {@code language}'s expert (the prompt is labelled as in training); FORCED: every token, prompt included,
 *                 uses {@code language}'s expert, or NL only when language is null (the specialisation matrix)
 * @param language the pinned expert for MANUAL and FORCED (null for FORCED means NL only)
 */
public record Routing(Mode mode, Language language) {
    public enum Mode { AUTOMATED, MANUAL, FORCED }

    public Routing {
        Objects.requireNonNull(mode, "mode");
        if (mode == Mode.AUTOMATED) {
            language = null;
        }
        if (mode == Mode.MANUAL && language == null) {
            throw new IllegalArgumentException("manual routing needs a language");
        }
    }

    public static Routing automated() {
        return new Routing(Mode.AUTOMATED, null);
    }

    public static Routing manual(Language l) {
        return new Routing(Mode.MANUAL, l);
    }

    public static Routing forced(Language expertOrNullForNl) {
        return new Routing(Mode.FORCED, expertOrNullForNl);
    }

    /** A short stable name for tables and keys: {@code auto}, {@code manual}, {@code forced:python}, {@code forced:nl}. */
    public String label() {
        return switch (mode) {
            case AUTOMATED -> "auto";
            case MANUAL -> "manual";
            case FORCED -> "forced:" + (language == null ? "nl" : language.id());
        };
    }

    /** {@code auto} or {@code manual} (the pinned language comes from each task). */
    public static Mode parseMode(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "auto", "automated" -> Mode.AUTOMATED;
            case "manual" -> Mode.MANUAL;
            default -> throw new IllegalArgumentException("unknown routing '" + s + "' (expected auto or manual)");
        };
    }
}
