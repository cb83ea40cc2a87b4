package dev.mole.evaluation;

import dev.mole.contracts.evaluation.TaskKind;

import dev.mole.contracts.language.Language;
import java.util.Objects;

/**
 * What the model is given for one sample: the text for the training template's instruction slot, and the code its
 * response already begins with. The GPU worker puts them in the template ({@code ... @@ Instruction\n} + instruction +
 * {@code \n\n@@ Response\n} + {@link #responsePrefix()}) and generates on from there.
 *
 * @param task the task whose language the answer is in and whose tests grade it (translation: the target)
 * @param source translation only: the task whose canonical solution is translated; else null
 * @param codeStart the code after the opening fence ("" for explain-describe, whose answer is prose)
 */
public record EvalPrompt(TaskKind kind, HumanEvalTask task, HumanEvalTask source, String instruction, String codeStart) {
    public EvalPrompt {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(instruction, "instruction");
        Objects.requireNonNull(codeStart, "codeStart");
        if ((kind == TaskKind.TRANSLATION) != (source != null)) {
            throw new IllegalArgumentException("a source task belongs to translation prompts and only to them");
        }
    }

    /** The language the answer is written in. */
    public Language language() {
        return task.language();
    }

    public String fenceTag() {
        return EvalPrompts.fenceTag(language());
    }

    /**
     * The start of the response: the opening fence and the code start; empty for explain-describe. Generated text is
     * what follows this, and {@link Completions} cuts it.
     */
    public String responsePrefix() {
        return kind.producesCode() ? "```" + fenceTag() + "\n" + codeStart : "";
    }

    /** A readable identity for ids and logs: {@code synthesis/Go/10}, {@code translation/Python/10->Go/10}. */
    public String label() {
        return kind.id() + "/" + (source == null ? "" : source.taskId() + "->") + task.taskId();
    }
}
