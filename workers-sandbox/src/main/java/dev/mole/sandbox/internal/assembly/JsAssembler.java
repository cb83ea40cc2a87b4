package dev.mole.sandbox.internal.assembly;

import dev.mole.contracts.sandbox.SandboxProgram;
import dev.mole.sandbox.AssembledProgram;
import dev.mole.sandbox.Language;
import dev.mole.sandbox.ProgramAssembler;
import java.util.Map;

/** prompt + solution + test. The test calls itself; failures are console.assert lines on stderr (see the verdict rules). */
public final class JsAssembler implements ProgramAssembler {
    public static final String MAIN = "main.js";

    @Override
    public AssembledProgram assemble(SandboxProgram p) {
        return new AssembledProgram(Language.JS, Map.of(MAIN, SimpleConcatenation.of(p.prompt(), p.solution(), p.test())), MAIN);
    }
}
