package dev.mole.evaluation;

import dev.mole.contracts.evaluation.Oracle;

/**
 * A stand-in model that knows the answers: for a prompt, the raw text a model that writes the canonical (or the buggy)
 * solution would generate after the response prefix. The text goes on past the code (closing fence, then prose with
 * another code block), so an oracle run exercises the same cut, assembly and sandbox as a real model's, and a perfect
 * model's score checks the whole path: canonical must pass everything, buggy nothing.
 */
public final class OracleAnswers {
    /** After the answer's closing fence: prose, and a second fenced block that the cut must not reach. */
    static final String EPILOGUE = "```\n\nThe function above solves the task. Example use:\n\n```\nresult = f(1)\n```\n";

    private OracleAnswers() {}

    /** What the model generates after {@link EvalPrompt#responsePrefix()}. */
    public static String generation(Oracle mode, EvalPrompt prompt) {
        String answer = answer(mode, prompt);
        if (!prompt.kind().producesCode()) {
            return answer;
        }
        return answer + (answer.endsWith("\n") ? "" : "\n") + EPILOGUE;
    }

    /**
     * The answer itself: for code, the solution's continuation of the code start (with the whitespace the code start
     * lost at its end); for explain-describe the task's docstring, the description its authors wrote.
     */
    public static String answer(Oracle mode, EvalPrompt prompt) {
        HumanEvalTask t = prompt.task();
        return switch (prompt.kind()) {
            case EXPLAIN_DESCRIBE -> t.docstring();
            case SYNTHESIS -> CodeStarts.trailingWhitespace(CodeStarts.synthesisBase(t)) + solution(mode, t);
            case EXPLAIN_SYNTHESIS, TRANSLATION -> {
                String base = CodeStarts.declarationBase(t);
                yield CodeStarts.trailingWhitespace(base) + CodeStarts.continuation(base, solution(mode, t), t.entryPoint());
            }
        };
    }

    private static String solution(Oracle mode, HumanEvalTask task) {
        return switch (mode) {
            case CANONICAL -> task.canonicalSolution();
            case BUGGY -> task.buggySolution();
            case NONE -> throw new IllegalArgumentException("no oracle: the model answers");
        };
    }
}
