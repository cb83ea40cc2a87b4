package dev.mole.contracts.evaluation;

import java.util.Arrays;
import java.util.Locale;

/** The HumanEvalPack task kinds (docs/evaluation-protocol.md, "Task kinds"). Explain runs as two generations. */
public enum TaskKind {
    /** Instruction + the task's prompt; the model completes the function. */
    SYNTHESIS("synthesis"),
    /** Explain, step 1: the model describes the canonical code in natural language; nothing is executed. */
    EXPLAIN_DESCRIBE("explain-describe"),
    /** Explain, step 2: the model writes the code again from step 1's description; graded like synthesis. */
    EXPLAIN_SYNTHESIS("explain-synthesis"),
    /** One language's canonical solution to another's declaration; graded with the target task's tests. */
    TRANSLATION("translation");

    private final String id;

    TaskKind(String id) {
        this.id = id;
    }

    /** The name used in requests, reports and program ids. */
    public String id() {
        return id;
    }

    /** Whether the model's answer is code that the sandbox grades (every kind but explain-describe). */
    public boolean producesCode() {
        return this != EXPLAIN_DESCRIBE;
    }

    /** Kinds graded by running a program (describe is graded through the synthesis that follows it). */
    public boolean graded() {
        return producesCode();
    }

    /** By id or enum name, any case ({@code explain-synthesis}, {@code EXPLAIN_SYNTHESIS}). */
    public static TaskKind parse(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (TaskKind k : values()) {
            if (k.id.equals(n)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown task kind '" + name + "' (expected one of "
                + Arrays.stream(values()).map(TaskKind::id).toList() + ")");
    }

    /** The kinds a person asks for: explain means both of its steps. */
    public static TaskKind parseRequested(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "synthesis", "synthesize" -> SYNTHESIS;
            case "explain", "summarisation", "summarization", "explain-synthesis" -> EXPLAIN_SYNTHESIS;
            case "translation", "translate" -> TRANSLATION;
            default -> throw new IllegalArgumentException("unknown task kind '" + name + "' (expected synthesis, explain or translation)");
        };
    }
}
