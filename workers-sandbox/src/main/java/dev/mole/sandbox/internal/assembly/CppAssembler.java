package dev.mole.sandbox.internal.assembly;

import dev.mole.contracts.sandbox.SandboxProgram;
import dev.mole.sandbox.AssembledProgram;
import dev.mole.sandbox.CompletionMarker;
import dev.mole.contracts.language.Language;
import dev.mole.sandbox.ProgramAssembler;
import java.util.Map;

/**
 * prompt + solution + test (the test holds {@code main} and {@code #undef NDEBUG}). The prompt, not the declaration:
 * CPP/38's declaration already opens the function body that the canonical solution continues.
 *
 * <p>Completion marker: a macro defined between the solution and the test turns the test's {@code int main(){...}}
 * into a lambda {@code mole_tests}, and a real {@code main} appended after the test calls it and prints the marker
 * when it returned 0, so {@code exit(0)}, {@code _Exit(0)} and the like inside the tests end the process without it.
 * A lambda rather than a renamed function because the benchmark's mains have no {@code return}: falling off the end
 * of any function but {@code main} is undefined behaviour (tried: g++ -O2 builds such a function into a segfault),
 * while a lambda's return type is deduced ({@code void} here, {@code int} for a test that does return).
 * The macro comes after the candidate's code, so it renames no {@code main} of the candidate's (which, as before,
 * collides with the test's own); what is appended comes after all the program's code, so its includes change no
 * overload resolution in it.
 */
public final class CppAssembler implements ProgramAssembler {
    public static final String MAIN = "main.cpp";
    private static final String TEST_MAIN_AS_LAMBDA =
            "#define main() mole_tests_declared_only(); static auto const mole_tests = []()\n";
    private static final String REAL_MAIN = """
            ;
            #undef main
            #include <cstdio>
            #include <type_traits>
            template <class Tests> int mole_run_tests(Tests tests) {
                if constexpr (std::is_void_v<decltype(tests())>) {
                    tests();
                    return 0;
                } else {
                    return tests();
                }
            }
            int main() {
                int code = mole_run_tests(mole_tests);
                if (code == 0) {
                    std::fputs(%s, stdout);
                }
                return code;
            }
            """;

    @Override
    public AssembledProgram assemble(SandboxProgram p, CompletionMarker marker) {
        String source = SimpleConcatenation.of(p.prompt(), p.solution(), TEST_MAIN_AS_LAMBDA + p.test())
                + REAL_MAIN.formatted(marker.quotedLiteral());
        return new AssembledProgram(Language.CPP, Map.of(MAIN, source), MAIN, marker);
    }
}
