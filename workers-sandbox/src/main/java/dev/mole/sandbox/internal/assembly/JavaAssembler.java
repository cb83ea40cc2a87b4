package dev.mole.sandbox.internal.assembly;

import dev.mole.contracts.sandbox.SandboxProgram;
import dev.mole.sandbox.AssembledProgram;
import dev.mole.sandbox.CompletionMarker;
import dev.mole.contracts.language.Language;
import dev.mole.sandbox.ProgramAssembler;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * One file for Java's single-file source launcher ({@code java Main.java}), which runs the first top-level class. The
 * prompt opens with {@code class Solution} and the test holds {@code class Main}, so the imports of both go first, then
 * the entry class, then the test, then the prompt's class completed by the candidate.
 *
 * <p>The entry class ({@value #ENTRY_CLASS}) calls the test's {@code Main.main} and prints the completion marker when it
 * returns, so {@code System.exit(0)} or {@code Runtime.halt(0)} inside the tests ends the JVM without it. It names
 * {@code java.lang.System} in full: a candidate's own class {@code System} would otherwise stand in for it.
 */
public final class JavaAssembler implements ProgramAssembler {
    public static final String MAIN = "Main.java";
    /** The class the runners start (the source launcher: the first class in the file; javac mode: by name). */
    public static final String ENTRY_CLASS = "MoleTestsEntry";
    private static final String ENTRY = """
            final class %s {
                public static void main(String[] args) throws Throwable {
                    Main.main(args);
                    java.lang.System.out.print(%s);
                    java.lang.System.out.flush();
                }
            }
            """;

    @Override
    public AssembledProgram assemble(SandboxProgram p, CompletionMarker marker) {
        Set<String> imports = new LinkedHashSet<>();
        String promptBody = takeImports(p.prompt(), imports);
        String testBody = takeImports(p.test(), imports);
        StringBuilder src = new StringBuilder();
        imports.forEach(i -> src.append(i).append('\n'));
        src.append('\n').append(ENTRY.formatted(ENTRY_CLASS, marker.quotedLiteral()))
                .append('\n').append(testBody).append("\n\n").append(promptBody).append(p.solution()).append('\n');
        return new AssembledProgram(Language.JAVA, Map.of(MAIN, src.toString()), MAIN, marker);
    }

    /** Moves the leading {@code import ...;} lines (blank lines and comments may sit between them) into {@code imports}. */
    static String takeImports(String code, Set<String> imports) {
        String[] lines = code.split("\n", -1);
        int i = 0;
        for (; i < lines.length; i++) {
            String t = lines[i].trim();
            if (t.startsWith("import ") && t.endsWith(";")) {
                imports.add(t);
            } else if (!t.isEmpty() && !t.startsWith("//")) {
                break;
            }
        }
        return String.join("\n", java.util.Arrays.copyOfRange(lines, i, lines.length));
    }
}
