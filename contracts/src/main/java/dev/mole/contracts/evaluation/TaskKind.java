package dev.mole.contracts.evaluation;

/** The HumanEvalPack task kinds (docs/evaluation-protocol.md). Explain runs as two generations: describe, then synthesize. */
public enum TaskKind {
    SYNTHESIS,
    EXPLAIN_DESCRIBE,
    EXPLAIN_SYNTHESIS,
    TRANSLATION;

    /** The kinds a person asks for: explain means both of its steps. */
    public static TaskKind parseRequested(String name) {
        return switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "synthesis", "synthesize" -> SYNTHESIS;
            case "explain", "summarisation", "summarization" -> EXPLAIN_SYNTHESIS;
            case "translation", "translate" -> TRANSLATION;
            default -> throw new IllegalArgumentException("unknown task kind '" + name + "' (expected synthesis, explain or translation)");
        };
    }

    /** Kinds that are graded by running a program (describe is graded through the synthesis that follows it). */
    public boolean graded() {
        return this != EXPLAIN_DESCRIBE;
    }
}
