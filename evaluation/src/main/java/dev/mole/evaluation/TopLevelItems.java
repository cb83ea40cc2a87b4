package dev.mole.evaluation;

import dev.mole.contracts.language.Language;
import java.util.regex.Pattern;

/**
 * What a line at the top level after the function means for the completion (docs/evaluation-protocol.md, "Where a
 * completion ends"). Upstream stops at the function's end and at stop sequences such as Go's {@code \nfunc}; both cut
 * canonical solutions that define a helper after the function (Go/72, Rust/137, Rust/145). So a definition continues
 * the completion; a program's entry point, tests or statements (what the stop sequences were after) end it; a comment
 * belongs to whatever follows it.
 */
final class TopLevelItems {
    enum Kind { DEFINITION, COMMENT, END }

    private static final Pattern SLASH_COMMENT = Pattern.compile("^(//|/\\*)");
    private static final Pattern PY_DEFINITION = Pattern.compile("^((async\\s+)?def|class)\\b|^@|^(import|from)\\s");
    private static final Pattern GO_MAIN = Pattern.compile("^func\\s+main\\s*\\(");
    private static final Pattern GO_DEFINITION = Pattern.compile("^(func|type|var|const)\\b");
    private static final Pattern RUST_END = Pattern.compile(
            "^(pub(\\([^)]*\\))?\\s+)?fn\\s+main\\s*\\(|^#\\[\\s*(cfg\\s*\\(\\s*test\\s*\\)|test)\\s*]");
    private static final Pattern RUST_DEFINITION = Pattern.compile(
            "^(pub|fn|struct|enum|impl|trait|type|const|static|use|mod|extern|unsafe|async)\\b|^#!?\\[|^macro_rules!");
    private static final Pattern CPP_MAIN = Pattern.compile("^((int|signed|void|auto)\\s+)?main\\s*\\(");
    private static final Pattern CPP_DEFINITION = Pattern.compile(
            "^#|^(template|struct|class|namespace|using|typedef|enum|union|static|const|constexpr|inline|extern)\\b"
                    + "|^[A-Za-z_][\\w:<>,\\s*&]*?[\\s*&]\\s*[A-Za-z_]\\w*\\s*\\(");
    private static final Pattern JS_DEFINITION = Pattern.compile("^(async\\s+)?function\\b|^class\\b"
            + "|^(const|let|var)\\s+[\\w$]+\\s*=\\s*(async\\b|function\\b|\\(|[\\w$]+\\s*=>)");

    private TopLevelItems() {}

    /** {@code line}: a line that starts at the top level, leading blanks removed, not blank. */
    static Kind classify(Language language, String line) {
        if (language == Language.PYTHON) {
            return line.startsWith("#") ? Kind.COMMENT : PY_DEFINITION.matcher(line).find() ? Kind.DEFINITION : Kind.END;
        }
        if (SLASH_COMMENT.matcher(line).find()) {
            return Kind.COMMENT;
        }
        return switch (language) {
            case GO -> !GO_MAIN.matcher(line).find() && GO_DEFINITION.matcher(line).find() ? Kind.DEFINITION : Kind.END;
            case RUST -> !RUST_END.matcher(line).find() && RUST_DEFINITION.matcher(line).find() ? Kind.DEFINITION : Kind.END;
            case CPP -> !CPP_MAIN.matcher(line).find() && CPP_DEFINITION.matcher(line).find() ? Kind.DEFINITION : Kind.END;
            case JAVASCRIPT -> JS_DEFINITION.matcher(line).find() ? Kind.DEFINITION : Kind.END;
            // Java's helpers live inside the class, which closes the completion (see CodeRule).
            default -> Kind.END;
        };
    }
}
