package dev.mole.evaluation;

/**
 * Where a model's answer ends, for text generated after a {@link EvalPrompt#responsePrefix()} (the prefix itself not
 * included). Build one with {@link StopRules}; docs/evaluation-protocol.md, "Where a completion ends", has the rules.
 *
 * <p>{@link #cut} is for generating: called after every token on all the text generated so far, it says -1 until the
 * answer is over and then where it ended, and that answer never changes as more text is appended. {@link #finalCut} is
 * for text whose generation stopped for another reason (end of sequence, the token limit): the answer is whatever is
 * there. Both exclude trailing whitespace, which no graded program needs.
 */
public interface StopRule {
    /** -1 while the answer may go on; else the index in {@code generated} where it ends. */
    int cut(String generated);

    /** Where the answer ends in text that will not grow any more: {@link #cut} when it has decided, else the text's end. */
    int finalCut(String generated);
}
