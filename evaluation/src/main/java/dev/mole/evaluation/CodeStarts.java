package dev.mole.evaluation;

import dev.mole.contracts.language.Language;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The code a response begins with, and what of a solution follows it. One place for both, because the prompt, the graded
 * program and the oracle must agree on it to the character (docs/evaluation-protocol.md, "Code starts").
 */
final class CodeStarts {
    /** Upstream's declaration prompts start Rust with this (its prompt field already does). */
    static final String RUST_MAIN = "fn main(){}\n";
    private static final Pattern GO_IMPORT = Pattern.compile("(?m)^import\\s*(\\([^)]*\\)|\"[^\"]*\")[ \\t]*\\n?");
    private static final Pattern GO_FUNC = Pattern.compile("(?m)^func\\s+(\\w+)\\s*\\(");

    private CodeStarts() {}

    /** The untrimmed code synthesis starts from: the task's prompt (signature and docstring). */
    static String synthesisBase(HumanEvalTask t) {
        return t.prompt();
    }

    /**
     * The untrimmed code explain-synthesis and translation start from: the declaration (no docstring), behind
     * {@code fn main(){}} in Rust as upstream does, and for Go with the prompt's helper functions, which Go's declarations
     * alone lack (Go/10, 32, 38, 50) while every other language's declarations carry them.
     */
    static String declarationBase(HumanEvalTask t) {
        String declaration = t.language() == Language.GO ? goDeclaration(t) : t.declaration();
        return t.language() == Language.RUST ? RUST_MAIN + declaration : declaration;
    }

    /** What goes after the fence: no blank lines before the code, no whitespace after it (upstream strips the prompt's end). */
    static String trim(String base) {
        int start = 0;
        for (int i = 0; i < base.length(); i++) {
            char c = base.charAt(i);
            if (c == '\n') {
                start = i + 1;
            } else if (c != ' ' && c != '\t' && c != '\r') {
                break;
            }
        }
        return base.substring(start).stripTrailing();
    }

    /** The whitespace {@link #trim} took off the end, which a completion of the trimmed start has to supply again. */
    static String trailingWhitespace(String base) {
        return base.substring(base.stripTrailing().length());
    }

    /**
     * The part of {@code solution} that continues {@code base}. Solutions continue the prompt; a declaration that already
     * holds the first lines of the body (CPP/38) is continued by the solution without those lines.
     */
    static String continuation(String base, String solution, String entryPoint) {
        List<String> bodyLines = linesAfterSignature(base, entryPoint);
        if (bodyLines.isEmpty()) {
            return solution;
        }
        String[] lines = solution.split("\n", -1);
        int matched = 0;
        int line = 0;
        for (String expected : bodyLines) {
            while (line < lines.length && lines[line].isBlank()) {
                line++;
            }
            if (line >= lines.length || !lines[line].strip().equals(expected)) {
                return solution; // not a repeat of the declaration's body: leave the solution whole
            }
            line++;
            matched++;
        }
        return matched == 0 ? solution : String.join("\n", Arrays.copyOfRange(lines, line, lines.length));
    }

    /** Non-blank lines (stripped) after the last line that names the entry point: the body a declaration already opened. */
    private static List<String> linesAfterSignature(String base, String entryPoint) {
        String[] lines = base.split("\n", -1);
        Pattern name = Pattern.compile("\\b" + Pattern.quote(entryPoint) + "\\b");
        int signature = -1;
        for (int i = 0; i < lines.length; i++) {
            if (!entryPoint.isEmpty() && name.matcher(lines[i]).find()) {
                signature = i;
            }
        }
        List<String> body = new ArrayList<>();
        for (int i = signature + 1; signature >= 0 && i < lines.length; i++) {
            if (!lines[i].isBlank()) {
                body.add(lines[i].strip());
            }
        }
        return body;
    }

    /** Go's declaration, or, where the prompt defines helpers, the prompt without its imports and the entry's doc comment. */
    private static String goDeclaration(HumanEvalTask t) {
        String prompt = t.prompt();
        Matcher funcs = GO_FUNC.matcher(prompt);
        boolean helpers = false;
        while (funcs.find()) {
            helpers |= !funcs.group(1).equals(t.entryPoint());
        }
        if (!helpers) {
            return t.declaration();
        }
        List<String> lines = new ArrayList<>(List.of(GO_IMPORT.matcher(prompt).replaceAll("").split("\n", -1)));
        int entry = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches("func\\s+" + Pattern.quote(t.entryPoint()) + "\\s*\\(.*")) {
                entry = i;
            }
        }
        if (entry < 0) {
            throw new IllegalStateException(t.taskId() + ": prompt has no func " + t.entryPoint());
        }
        while (entry > 0 && lines.get(entry - 1).strip().startsWith("//")) {
            lines.remove(--entry);
        }
        // The shape of every other Go declaration: a blank line, the code, the signature's line ending in "{\n".
        return "\n" + String.join("\n", lines).strip() + "\n";
    }
}
