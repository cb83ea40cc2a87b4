package dev.mole.sandbox.internal.assembly;

import dev.mole.contracts.sandbox.SandboxProgram;
import dev.mole.sandbox.AssembledProgram;
import dev.mole.sandbox.CompletionMarker;
import dev.mole.contracts.language.Language;
import dev.mole.sandbox.ProgramAssembler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code main_test.go} in package main: the imports of the prompt, the {@code import} and {@code test_setup} fields,
 * plus standard packages the code uses without importing them, kept only where the code refers to them (Go rejects
 * unused imports); then the prompt without its import block (Go/10, 32, 38, 50 keep helpers there), the solution, the test.
 *
 * <p>Completion marker: a {@code TestMain} appended after the test runs the tests and prints the marker when they all
 * passed, so {@code syscall.Exit(0)}, an {@code os.Exit(0)} in {@code init} or a nested {@code testing.Main} end the
 * process without it. ({@code os.Exit(0)} inside a test is already a failure: GoRunner passes
 * {@code -test.paniconexit0}, as {@code go test} does.) The harness's own {@code PASS} line is no proof: a candidate
 * can print that text itself. The TestMain reaches os and testing through aliases of its own, since the program may
 * import neither, or import them under other names; Go accepts a package imported twice under two names. A candidate
 * that declares its own TestMain no longer compiles.
 */
public final class GoAssembler implements ProgramAssembler {
    public static final String MAIN = "main_test.go";
    private static final String MARKER_IMPORTS = "    mole_os \"os\"\n    mole_testing \"testing\"\n";
    private static final String MARKER_TEST_MAIN = """

            func TestMain(m *mole_testing.M) {
                if m.Run() == 0 {
                    mole_os.Stdout.WriteString(%s)
                }
            }
            """;

    private static final Pattern IMPORT_BLOCK = Pattern.compile("(?m)^\\s*import\\s*\\(([^)]*)\\)");
    private static final Pattern IMPORT_LINE = Pattern.compile("(?m)^\\s*import\\s+((?:[A-Za-z_][A-Za-z0-9_]*|\\.|_)\\s+)?\"([^\"]+)\"\\s*;?");
    private static final Pattern SPEC = Pattern.compile("((?:[A-Za-z_][A-Za-z0-9_]*|\\.|_)\\s+)?\"([^\"]+)\"");
    private static final Pattern PACKAGE = Pattern.compile("(?m)^\\s*package\\s+\\w+\\s*;?");
    /** Standard packages a candidate may use without declaring them: the ones HumanEvalPack's Go solutions reach for. */
    private static final List<String> AUTO_IMPORTS = List.of("math", "strings", "strconv", "sort", "fmt", "bytes", "unicode",
            "regexp", "math/rand", "crypto/md5", "encoding/hex", "reflect", "time", "math/big", "unicode/utf8", "container/heap",
            "testing", "github.com/stretchr/testify/assert");

    @Override
    public AssembledProgram assemble(SandboxProgram p, CompletionMarker marker) {
        Map<String, String> imports = new LinkedHashMap<>(); // path -> alias ("" when none)
        String prompt = takeImports(p.prompt(), imports);
        takeImports(p.goImport(), imports);
        String setup = takeImports(PACKAGE.matcher(p.goTestSetup()).replaceAll(""), imports);
        String body = prompt + p.solution() + "\n\n" + setup + "\n" + p.test() + "\n";
        String code = stripCommentsAndStrings(body);
        for (String path : AUTO_IMPORTS) {
            imports.putIfAbsent(path, "");
        }
        StringBuilder src = new StringBuilder("package main\n\nimport (\n");
        imports.forEach((path, alias) -> {
            String name = alias.isEmpty() ? path.substring(path.lastIndexOf('/') + 1) : alias;
            if (name.equals("_") || name.equals(".") || Pattern.compile("\\b" + Pattern.quote(name) + "\\s*\\.").matcher(code).find()) {
                src.append("    ").append(alias.isEmpty() ? "" : alias + " ").append('"').append(path).append("\"\n");
            }
        });
        src.append(MARKER_IMPORTS).append(")\n\n").append(body).append(MARKER_TEST_MAIN.formatted(marker.quotedLiteral()));
        return new AssembledProgram(Language.GO, Map.of(MAIN, src.toString()), MAIN, marker);
    }

    /** Removes import declarations from {@code code}, recording each path (with its alias) in {@code into}. */
    static String takeImports(String code, Map<String, String> into) {
        Matcher block = IMPORT_BLOCK.matcher(code);
        StringBuilder rest = new StringBuilder();
        while (block.find()) {
            Matcher spec = SPEC.matcher(block.group(1));
            while (spec.find()) {
                into.putIfAbsent(spec.group(2), spec.group(1) == null ? "" : spec.group(1).trim());
            }
            block.appendReplacement(rest, "");
        }
        block.appendTail(rest);
        Matcher line = IMPORT_LINE.matcher(rest.toString());
        StringBuilder out = new StringBuilder();
        while (line.find()) {
            into.putIfAbsent(line.group(2), line.group(1) == null ? "" : line.group(1).trim());
            line.appendReplacement(out, "");
        }
        line.appendTail(out);
        return out.toString();
    }

    /** Code with comments and string/rune literals blanked, so a package name inside them does not count as a use. */
    static String stripCommentsAndStrings(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '/') {
                while (i < s.length() && s.charAt(i) != '\n') i++;
            } else if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '*') {
                int end = s.indexOf("*/", i + 2);
                i = end < 0 ? s.length() : end + 2;
                out.append(' ');
            } else if (c == '"' || c == '\'' || c == '`') {
                i++;
                while (i < s.length() && s.charAt(i) != c) {
                    if (c != '`' && s.charAt(i) == '\\') i++;
                    if (c != '`' && i < s.length() && s.charAt(i) == '\n') break;
                    i++;
                }
                i++;
                out.append("\"\"");
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
