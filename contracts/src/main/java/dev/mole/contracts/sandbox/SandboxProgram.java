package dev.mole.contracts.sandbox;

import java.util.Objects;

/**
 * One program to grade: a HumanEvalPack task's code around a candidate solution. One line of a batch object.
 *
 * @param id caller's identifier, echoed in the result (e.g. {@code run-7/CPP/12/sample-3})
 * @param language one of {@code cpp, go, java, js, python, rust}
 * @param taskId HumanEvalPack task id, e.g. {@code Go/10}
 * @param prompt the task's {@code prompt} field: the code that precedes the solution (imports, helpers, signature)
 * @param solution the candidate body that completes the prompt
 * @param test the task's {@code test} field
 * @param goImport Go only: the task's {@code import} field ("" elsewhere)
 * @param goTestSetup Go only: the task's {@code test_setup} field ("" elsewhere)
 */
public record SandboxProgram(
        String id, String language, String taskId, String prompt, String solution, String test,
        String goImport, String goTestSetup) {
    public SandboxProgram {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(language, "language");
        taskId = taskId == null ? "" : taskId;
        prompt = prompt == null ? "" : prompt;
        solution = solution == null ? "" : solution;
        test = test == null ? "" : test;
        goImport = goImport == null ? "" : goImport;
        goTestSetup = goTestSetup == null ? "" : goTestSetup;
    }
}
