package dev.mole.evaluation;

import dev.mole.contracts.language.Language;
import dev.mole.contracts.sandbox.SandboxProgram;
import java.util.Objects;

/**
 * One HumanEvalPack record: the fields that prompts, cutting and grading need. Missing fields are "" (only Go has
 * {@code import} and {@code test_setup}). Field meanings: docs/evaluation-protocol.md, "Data".
 *
 * @param prompt signature and docstring (and helpers): what synthesis starts the response with
 * @param declaration the code without the docstring: what explain-synthesis and translation start with
 * @param entryPoint the name of the function under test
 * @param docstring the task's description; explain-describe's length budget and oracle answer
 * @param instruction synthesis's instruction text
 */
public record HumanEvalTask(
        Language language, String taskId, String prompt, String declaration, String canonicalSolution,
        String buggySolution, String test, String goImport, String goTestSetup, String entryPoint, String docstring,
        String instruction) {

    public HumanEvalTask {
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(taskId, "taskId");
        if (!taskId.startsWith(language.taskPrefix() + "/")) { // taskPrefix() also rejects C and C#
            throw new IllegalArgumentException("task id " + taskId + " is not a " + language.taskPrefix() + "/N id");
        }
        number(taskId);
        prompt = orEmpty(prompt);
        declaration = orEmpty(declaration);
        canonicalSolution = orEmpty(canonicalSolution);
        buggySolution = orEmpty(buggySolution);
        test = orEmpty(test);
        goImport = orEmpty(goImport);
        goTestSetup = orEmpty(goTestSetup);
        entryPoint = orEmpty(entryPoint);
        docstring = orEmpty(docstring);
        instruction = orEmpty(instruction);
    }

    /** The task number, the same in every language ({@code Go/10} and {@code Python/10} are one problem). */
    public int number() {
        return number(taskId);
    }

    /** The task's prompt completed by the given candidate solution. */
    public SandboxProgram program(String id, String solution) {
        return new SandboxProgram(id, language.humanEvalPackId(), taskId, prompt, solution, test, goImport, goTestSetup);
    }

    public SandboxProgram canonicalProgram() {
        return program(taskId + "/canonical", canonicalSolution);
    }

    public SandboxProgram buggyProgram() {
        return program(taskId + "/buggy", buggySolution);
    }

    private static int number(String taskId) {
        String n = taskId.substring(taskId.indexOf('/') + 1);
        try {
            int v = Integer.parseInt(n);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("task id " + taskId + " does not end in a task number");
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
