package dev.mole.sandbox.internal.assembly;

import dev.mole.contracts.sandbox.SandboxProgram;
import dev.mole.sandbox.AssembledProgram;
import dev.mole.sandbox.Language;
import dev.mole.sandbox.ProgramAssembler;
import java.util.Map;

/**
 * prompt + solution + test (the test holds {@code main} and {@code #undef NDEBUG}). The prompt, not the declaration:
 * CPP/38's declaration already opens the function body that the canonical solution continues.
 */
public final class CppAssembler implements ProgramAssembler {
    public static final String MAIN = "main.cpp";

    @Override
    public AssembledProgram assemble(SandboxProgram p) {
        return new AssembledProgram(Language.CPP, Map.of(MAIN, SimpleConcatenation.of(p.prompt(), p.solution(), p.test())), MAIN);
    }
}
