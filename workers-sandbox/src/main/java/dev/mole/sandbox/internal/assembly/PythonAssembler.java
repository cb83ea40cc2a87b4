package dev.mole.sandbox.internal.assembly;

import dev.mole.contracts.sandbox.SandboxProgram;
import dev.mole.sandbox.AssembledProgram;
import dev.mole.sandbox.CompletionMarker;
import dev.mole.contracts.language.Language;
import dev.mole.sandbox.ProgramAssembler;
import java.util.Map;

/**
 * prompt + solution + test, then the completion marker. HumanEvalPack's Python test block ends with
 * {@code check(<entry_point>)} at module level, so a print after it runs only when the check returned: a candidate's
 * {@code sys.exit(0)} or {@code os._exit(0)} ends the process before it.
 */
public final class PythonAssembler implements ProgramAssembler {
    public static final String MAIN = "main.py";

    @Override
    public AssembledProgram assemble(SandboxProgram p, CompletionMarker marker) {
        String source = SimpleConcatenation.of(p.prompt(), p.solution(), p.test())
                + "\n\nprint(" + marker.quotedLiteral() + ", end=\"\", flush=True)\n";
        return new AssembledProgram(Language.PYTHON, Map.of(MAIN, source), MAIN, marker);
    }
}
