package dev.mole.contracts.evaluation;

import dev.mole.contracts.language.Language;
import dev.mole.contracts.sandbox.SandboxVerdict;
import java.util.List;

/**
 * One line of an evaluation's {@code samples.jsonl}: everything needed to trace a number back to what the model did.
 *
 * @param source      translation's source language (else null)
 * @param routing     {@link Routing#label()}
 * @param taskId      the graded HumanEvalPack task ({@code Python/12}; the target task for translation)
 * @param instruction what went into the template's instruction slot
 * @param responsePrefix what the response was begun with
 * @param generation  the raw generated text
 * @param completion  the part of it the grader used (cut at the stop rule)
 * @param pieces      each generated token's text
 * @param routes      each generated token's route ({@code nl}, {@code python}, ...)
 * @param program     the source that ran in the sandbox (main file), "" for describe steps
 * @param verdict     null for describe steps (they are graded through the synthesis that follows)
 * @param reason      the sandbox's one-line reason, or why no program could be built
 * @param output      the end of what the program wrote (stderr, then stdout), for seeing why it failed
 */
public record SampleRecord(String sampleId, TaskKind kind, Language language, Language source, String routing,
        String taskId, int sampleIndex, String instruction, String responsePrefix, String generation, String completion,
        String stop, List<String> pieces, List<String> routes, String program, SandboxVerdict verdict, String reason, String output) {

    public SampleRecord {
        output = output == null ? "" : output;
    }

    /** A sample with no program output recorded (describe steps, programs that never ran). */
    public SampleRecord(String sampleId, TaskKind kind, Language language, Language source, String routing, String taskId,
            int sampleIndex, String instruction, String responsePrefix, String generation, String completion, String stop,
            List<String> pieces, List<String> routes, String program, SandboxVerdict verdict, String reason) {
        this(sampleId, kind, language, source, routing, taskId, sampleIndex, instruction, responsePrefix, generation,
                completion, stop, pieces, routes, program, verdict, reason, "");
    }

    public boolean passed() {
        return verdict == SandboxVerdict.PASS;
    }
}
