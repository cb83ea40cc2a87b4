package dev.mole.evaluation;

/**
 * Explain-describe's post-processing, as upstream's: the answer is cut to the docstring's length (the budget the
 * instruction named), then every line of the canonical solution longer than 20 characters that it quotes verbatim is
 * removed, so that copying the code into the "description" does not help step 2. Lengths count code points, as
 * Python's {@code len} does.
 */
public final class Descriptions {
    static final int QUOTED_LINE_MIN = 21;

    private Descriptions() {}

    /** The description that goes to explain-synthesis, from the raw text generated after the (empty) response start. */
    public static String clean(String generated, HumanEvalTask task) {
        String text = firstCodePoints(generated.strip(), length(task.docstring())).stripTrailing();
        for (String line : task.canonicalSolution().split("\n")) {
            String quoted = line.strip();
            if (length(quoted) >= QUOTED_LINE_MIN && text.contains(quoted)) {
                text = text.replace(quoted, "");
            }
        }
        return text;
    }

    /** Characters as the instruction and the cut count them. */
    static int length(String s) {
        return s.codePointCount(0, s.length());
    }

    private static String firstCodePoints(String s, int n) {
        return length(s) <= n ? s : s.substring(0, s.offsetByCodePoints(0, n));
    }
}
