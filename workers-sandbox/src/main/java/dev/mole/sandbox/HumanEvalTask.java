package dev.mole.sandbox;

import dev.mole.contracts.language.Language;
import dev.mole.contracts.sandbox.SandboxProgram;

/** The fields of one HumanEvalPack record that grading needs. Missing fields are "" (Go alone has import/test_setup). */
public record HumanEvalTask(
        Language language, String taskId, String prompt, String declaration, String canonicalSolution,
        String buggySolution, String test, String goImport, String goTestSetup) {

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
}
