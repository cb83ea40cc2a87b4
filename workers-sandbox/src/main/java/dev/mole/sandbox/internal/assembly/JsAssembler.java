package dev.mole.sandbox.internal.assembly;

import dev.mole.contracts.sandbox.SandboxProgram;
import dev.mole.sandbox.AssembledProgram;
import dev.mole.sandbox.CompletionMarker;
import dev.mole.contracts.language.Language;
import dev.mole.sandbox.ProgramAssembler;
import java.util.Map;

/**
 * prompt + solution + test, then the completion marker. The test calls itself synchronously (no HumanEvalPack test is
 * asynchronous); failures are console.assert lines on stderr (see the verdict rules). A candidate's
 * {@code process.exit(0)} ends the process before the marker; writes to a pipe are synchronous in Node on Linux, so
 * nothing written before the marker is lost when the process ends.
 */
public final class JsAssembler implements ProgramAssembler {
    public static final String MAIN = "main.js";

    @Override
    public AssembledProgram assemble(SandboxProgram p, CompletionMarker marker) {
        // The leading ';' keeps a test that ends in an expression without one from swallowing the call.
        String source = SimpleConcatenation.of(p.prompt(), p.solution(), p.test())
                + "\n;process.stdout.write(" + marker.quotedLiteral() + ");\n";
        return new AssembledProgram(Language.JAVASCRIPT, Map.of(MAIN, source), MAIN, marker);
    }
}
