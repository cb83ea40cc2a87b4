package dev.mole.sandbox;

import dev.mole.contracts.sandbox.SandboxProgram;
import dev.mole.sandbox.internal.assembly.CppAssembler;
import dev.mole.sandbox.internal.assembly.GoAssembler;
import dev.mole.sandbox.internal.assembly.JavaAssembler;
import dev.mole.sandbox.internal.assembly.JsAssembler;
import dev.mole.sandbox.internal.assembly.PythonAssembler;
import dev.mole.sandbox.internal.assembly.RustAssembler;

/** Turns a HumanEvalPack program (prompt + candidate + test, Go's import/test_setup) into source files. */
public interface ProgramAssembler {

    AssembledProgram assemble(SandboxProgram program);

    static ProgramAssembler forLanguage(Language language) {
        return switch (language) {
            case CPP -> new CppAssembler();
            case GO -> new GoAssembler();
            case JAVA -> new JavaAssembler();
            case JS -> new JsAssembler();
            case PYTHON -> new PythonAssembler();
            case RUST -> new RustAssembler();
        };
    }

    static AssembledProgram assembleAny(SandboxProgram program) {
        return forLanguage(Language.parse(program.language())).assemble(program);
    }
}
