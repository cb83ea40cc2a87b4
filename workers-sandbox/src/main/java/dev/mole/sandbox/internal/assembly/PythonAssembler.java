package dev.mole.sandbox.internal.assembly;

import dev.mole.contracts.sandbox.SandboxProgram;
import dev.mole.sandbox.AssembledProgram;
import dev.mole.sandbox.Language;
import dev.mole.sandbox.ProgramAssembler;
import java.util.Map;

/** prompt + solution + test; HumanEvalPack's Python test block already ends with {@code check(<entry_point>)}. */
public final class PythonAssembler implements ProgramAssembler {
    public static final String MAIN = "main.py";

    @Override
    public AssembledProgram assemble(SandboxProgram p) {
        return new AssembledProgram(Language.PYTHON, Map.of(MAIN, SimpleConcatenation.of(p.prompt(), p.solution(), p.test())), MAIN);
    }
}
