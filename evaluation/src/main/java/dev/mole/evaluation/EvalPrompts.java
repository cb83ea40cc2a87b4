package dev.mole.evaluation;

import dev.mole.contracts.evaluation.TaskKind;

import dev.mole.contracts.language.Language;

/**
 * The instructions and response starts of each task kind, as the bigcode harness's {@code instruct} prompts build them,
 * with the code in fences because the model was trained on fenced answers (docs/evaluation-protocol.md, "Prompts").
 * Where the harness puts context (code, a description) and an instruction together, the context comes first, then a
 * newline, then the instruction.
 */
public final class EvalPrompts {
    private EvalPrompts() {}

    /**
     * The fence tag prompts write for a language: HumanEvalPack's and the harness's own name ({@code js} for
     * JavaScript). Every alias routes alike ({@link Language#fromTag}), so the choice changes no expert, only the text.
     */
    public static String fenceTag(Language language) {
        return language.humanEvalPackId();
    }

    /** The task's instruction; the response starts with its prompt (signature and docstring). */
    public static EvalPrompt synthesis(HumanEvalTask task) {
        return new EvalPrompt(TaskKind.SYNTHESIS, task, null, task.instruction().strip(),
                CodeStarts.trim(CodeStarts.synthesisBase(task)));
    }

    /**
     * The canonical code without its docstring (declaration + solution), fenced, then the request for a description no
     * longer than the docstring. The response is prose: it starts empty.
     */
    public static EvalPrompt explainDescribe(HumanEvalTask task) {
        String base = CodeStarts.declarationBase(task);
        String code = CodeStarts.trim(base + CodeStarts.continuation(base, task.canonicalSolution(), task.entryPoint()));
        String instruction = fenced(task.language(), code) + "\nProvide a concise natural language description of the code"
                + " using at most " + Descriptions.length(task.docstring()) + " characters.";
        return new EvalPrompt(TaskKind.EXPLAIN_DESCRIBE, task, null, instruction, "");
    }

    /** Step 1's (cleaned) description, then the request for code; the response starts with the declaration. */
    public static EvalPrompt explainSynthesis(HumanEvalTask task, String description) {
        if (description == null) {
            throw new IllegalArgumentException("explain-synthesis needs the description from explain-describe");
        }
        String request = "Write functional code in " + task.language().displayName() + " according to the description.";
        String d = description.strip();
        return new EvalPrompt(TaskKind.EXPLAIN_SYNTHESIS, task, null, d.isEmpty() ? request : d + "\n" + request,
                CodeStarts.trim(CodeStarts.declarationBase(task)));
    }

    /**
     * The source task's prompt and canonical solution (docstring included), fenced, then the request; the response starts
     * with the target's declaration. Both tasks must be the same problem in two different languages.
     */
    public static EvalPrompt translation(HumanEvalTask source, HumanEvalTask target) {
        if (source.number() != target.number()) {
            throw new IllegalArgumentException("translation pairs one problem in two languages: " + source.taskId()
                    + " and " + target.taskId() + " are different tasks");
        }
        if (source.language() == target.language()) {
            throw new IllegalArgumentException("translation needs two different languages, got " + source.taskId()
                    + " to " + target.taskId());
        }
        String code = CodeStarts.trim(source.prompt() + source.canonicalSolution());
        String instruction = fenced(source.language(), code) + "\nTranslate the code snippet from "
                + source.language().displayName() + " to " + target.language().displayName() + ".";
        return new EvalPrompt(TaskKind.TRANSLATION, target, source, instruction,
                CodeStarts.trim(CodeStarts.declarationBase(target)));
    }

    private static String fenced(Language language, String code) {
        return "```" + fenceTag(language) + "\n" + code + "\n```";
    }
}
