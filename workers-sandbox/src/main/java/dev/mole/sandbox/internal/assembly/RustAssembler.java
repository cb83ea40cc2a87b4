package dev.mole.sandbox.internal.assembly;

import dev.mole.contracts.sandbox.SandboxProgram;
import dev.mole.sandbox.AssembledProgram;
import dev.mole.sandbox.CompletionMarker;
import dev.mole.contracts.language.Language;
import dev.mole.sandbox.ProgramAssembler;
import java.util.Map;

/**
 * prompt + solution + test, then one more test that prints the completion marker. The prompt opens with
 * {@code fn main(){}} and {@code use rand::Rng; use regex::Regex; use md5;}; the test is a {@code #[cfg(test)] mod tests},
 * so the file is compiled with {@code rustc --test}, whose generated main cannot be wrapped.
 *
 * <p>The marker test relies on libtest running tests one at a time ({@code --test-threads=1}, see RustRunner) in the
 * order of their names: {@value #MARKER_MODULE} sorts after the benchmark's {@code tests} module, so it runs last, and a
 * {@code std::process::exit(0)} in any test before it ends the process without the marker. It writes to stdout
 * directly because libtest captures {@code print!} of passing tests. The harness's own summary line
 * ({@code test result: ok. N passed}) is no proof: a candidate can print that text itself.
 */
public final class RustAssembler implements ProgramAssembler {
    public static final String MAIN = "main.rs";
    static final String MARKER_MODULE = "zz_mole_completion";

    @Override
    public AssembledProgram assemble(SandboxProgram p, CompletionMarker marker) {
        String source = SimpleConcatenation.of(p.prompt(), p.solution(), p.test()) + """

                #[cfg(test)]
                mod %s {
                    #[test]
                    fn all_tests_before_this_one_finished() {
                        use std::io::Write;
                        let mut out = std::io::stdout();
                        out.write_all(b%s).unwrap();
                        out.flush().unwrap();
                    }
                }
                """.formatted(MARKER_MODULE, marker.quotedLiteral());
        return new AssembledProgram(Language.RUST, Map.of(MAIN, source), MAIN, marker);
    }
}
