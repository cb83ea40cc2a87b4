package dev.mole.evaluation;

import dev.mole.contracts.language.Language;

/**
 * Just enough lexing to know where code is: the cut rules count braces and look at line starts, and a brace or a
 * {@code def} inside a string or comment must not count. Not a parser: code that does not lex is cut by the same rules
 * as code that does, and then fails its tests.
 */
interface Lexer {
    LexedText scan(String text);

    static Lexer of(Language language) {
        return switch (language) {
            case PYTHON -> new PythonLexer();
            case CPP, GO, JAVA, JAVASCRIPT, RUST -> new BraceLexer(language);
            case C, CSHARP -> throw new IllegalArgumentException(language.id() + " is not a HumanEvalPack language");
        };
    }
}
