package dev.mole.evaluation;

import dev.mole.contracts.sandbox.SandboxProgram;

/**
 * The program the sandbox grades for a sample: the code the model was given (the prompt's code start), the answer it
 * wrote after it, and the tests of the task the answer is for (translation: the target's). Go's imports and test set-up
 * travel in their own fields; the sandbox's assemblers merge imports and add the completion marker.
 * docs/evaluation-protocol.md, "Graded programs".
 */
public final class GradedPrograms {
    private GradedPrograms() {}

    /** @param completion the answer as {@link Completions#extract} gives it */
    public static SandboxProgram program(String id, EvalPrompt prompt, String completion) {
        if (!prompt.kind().producesCode()) {
            throw new IllegalArgumentException("explain-describe answers are descriptions, not programs: grade the"
                    + " explain-synthesis prompt built from the description (" + prompt.label() + ")");
        }
        HumanEvalTask t = prompt.task();
        return new SandboxProgram(id, t.language().humanEvalPackId(), t.taskId(), prompt.codeStart(), completion,
                t.test(), t.goImport(), t.goTestSetup());
    }

    /** The program for raw generated text: cut by the prompt's rule first. */
    public static SandboxProgram fromGeneration(String id, EvalPrompt prompt, String generated) {
        return program(id, prompt, Completions.extract(prompt, generated));
    }
}
