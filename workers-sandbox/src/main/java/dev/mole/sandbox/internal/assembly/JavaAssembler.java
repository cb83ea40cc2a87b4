package dev.mole.sandbox.internal.assembly;

import dev.mole.contracts.sandbox.SandboxProgram;
import dev.mole.sandbox.AssembledProgram;
import dev.mole.sandbox.Language;
import dev.mole.sandbox.ProgramAssembler;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * One file for Java's single-file source launcher ({@code java Main.java}), which runs the first top-level class. The
 * prompt opens with {@code class Solution} and the test holds {@code class Main}, so the imports of both go first, then
 * the test, then the prompt's class completed by the candidate.
 */
public final class JavaAssembler implements ProgramAssembler {
    public static final String MAIN = "Main.java";

    @Override
    public AssembledProgram assemble(SandboxProgram p) {
        Set<String> imports = new LinkedHashSet<>();
        String promptBody = takeImports(p.prompt(), imports);
        String testBody = takeImports(p.test(), imports);
        StringBuilder src = new StringBuilder();
        imports.forEach(i -> src.append(i).append('\n'));
        src.append('\n').append(testBody).append("\n\n").append(promptBody).append(p.solution()).append('\n');
        return new AssembledProgram(Language.JAVA, Map.of(MAIN, src.toString()), MAIN);
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
