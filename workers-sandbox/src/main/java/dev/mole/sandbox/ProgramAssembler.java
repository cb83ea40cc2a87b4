package dev.mole.sandbox;

import dev.mole.contracts.language.Language;
import dev.mole.contracts.sandbox.SandboxProgram;
import dev.mole.sandbox.internal.assembly.CppAssembler;
import dev.mole.sandbox.internal.assembly.GoAssembler;
import dev.mole.sandbox.internal.assembly.JavaAssembler;
import dev.mole.sandbox.internal.assembly.JsAssembler;
import dev.mole.sandbox.internal.assembly.PythonAssembler;
import dev.mole.sandbox.internal.assembly.RustAssembler;

/**
 * Turns a HumanEvalPack program (prompt + candidate + test, Go's import/test_setup) into source files that print the
 * given completion marker after the last test statement, and only then.
 */
public interface ProgramAssembler {

    AssembledProgram assemble(SandboxProgram program, CompletionMarker marker);

    /** With a fresh marker: each run of a program needs its own, so that no run can replay another's. */
    default AssembledProgram assemble(SandboxProgram program) {
        return assemble(program, CompletionMarker.fresh());
    }

    static ProgramAssembler forLanguage(Language language) {
        return switch (language) {
            case CPP -> new CppAssembler();
            case GO -> new GoAssembler();
            case JAVA -> new JavaAssembler();
            case JAVASCRIPT -> new JsAssembler();
            case PYTHON -> new PythonAssembler();
            case RUST -> new RustAssembler();
            case C, CSHARP -> throw new IllegalArgumentException("no HumanEvalPack programs in " + language.id());
        };
    }

    static AssembledProgram assembleAny(SandboxProgram program) {
        return forLanguage(Language.parseHumanEvalPack(program.language())).assemble(program);
    }
}
