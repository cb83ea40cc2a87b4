package dev.mole.sandbox.internal.assembly;

import dev.mole.contracts.sandbox.SandboxProgram;
import dev.mole.sandbox.AssembledProgram;
import dev.mole.sandbox.Language;
import dev.mole.sandbox.ProgramAssembler;
import java.util.Map;

/**
 * prompt + solution + test. The prompt opens with {@code fn main(){}} and {@code use rand::Rng; use regex::Regex; use md5;};
 * the test is a {@code #[cfg(test)] mod tests}, so the file is compiled with {@code rustc --test}.
 */
public final class RustAssembler implements ProgramAssembler {
    public static final String MAIN = "main.rs";

    @Override
    public AssembledProgram assemble(SandboxProgram p) {
        return new AssembledProgram(Language.RUST, Map.of(MAIN, SimpleConcatenation.of(p.prompt(), p.solution(), p.test())), MAIN);
    }
}
