package dev.mole.evaluation;

/**
 * Explain-describe's answer is prose: no code rule applies, and upstream's code stop sequences (Python's {@code \nif},
 * Go's {@code struct}) would cut sentences. It ends at end of sequence, at the template's next {@code @@} marker, or
 * once it holds as many characters as {@link Descriptions#clean} keeps: what comes after those could not change the
 * cleaned description, so stopping there is not early.
 */
final class DescriptionRule implements StopRule {
    private final int budget;

    /** @param budget the docstring's length, or {@link Integer#MAX_VALUE} when unknown (then only the marker ends it) */
    DescriptionRule(int budget) {
        this.budget = budget;
    }

    @Override
    public int cut(String generated) {
        int lead = generated.length() - generated.stripLeading().length();
        String rest = generated.substring(lead);
        boolean full = budget != Integer.MAX_VALUE && Descriptions.length(rest) >= budget;
        int end = full ? lead + rest.offsetByCodePoints(0, budget) : generated.length();
        // Only up to the budget: a marker after it must not move an answer already given.
        for (int i = 0; i <= end && i < generated.length(); i++) {
            if (i > 0 && generated.charAt(i - 1) != '\n') {
                continue;
            }
            int marker = skipBlanks(generated, i);
            if (generated.startsWith("@@ ", marker) && (!full || marker + 3 <= end)) {
                return generated.substring(0, i).stripTrailing().length();
            }
        }
        return full ? end : -1;
    }

    @Override
    public int finalCut(String generated) {
        int cut = cut(generated);
        return cut >= 0 ? cut : generated.stripTrailing().length();
    }

    private static int skipBlanks(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }
}
