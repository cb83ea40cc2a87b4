package dev.mole.evaluation;

/**
 * The answer a model gave, cut out of the text it generated after the response prefix: the part that
 * {@link GradedPrograms} puts after the code start (or, for explain-describe, the raw description that
 * {@link Descriptions#clean} then shortens).
 */
public final class Completions {
    private Completions() {}

    /** The answer in text whose generation has ended (end of sequence, a stop, or the token limit). */
    public static String extract(StopRule rule, String generated) {
        return generated.substring(0, rule.finalCut(generated));
    }

    public static String extract(EvalPrompt prompt, String generated) {
        return extract(StopRules.of(prompt), generated);
    }
}
