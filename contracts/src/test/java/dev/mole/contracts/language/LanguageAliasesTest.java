package dev.mole.contracts.language;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LanguageAliasesTest {

    @ParameterizedTest
    @CsvSource({
        "c, C", "h, C",
        "cpp, CPP", "c++, CPP", "cc, CPP", "cxx, CPP", "hpp, CPP", "hh, CPP",
        "csharp, CSHARP", "c#, CSHARP", "cs, CSHARP",
        "go, GO", "golang, GO",
        "java, JAVA",
        "javascript, JAVASCRIPT", "js, JAVASCRIPT", "node, JAVASCRIPT", "nodejs, JAVASCRIPT", "jsx, JAVASCRIPT",
        "python, PYTHON", "py, PYTHON", "python3, PYTHON", "python2, PYTHON",
        "rust, RUST", "rs, RUST"})
    void knownAliases(String tag, Language expected) {
        assertThat(Language.resolveTag(tag)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"bash", "sql", "typescript", "ts", "objective-c", "kotlin", "pycon", "''", "PY"})
    void unknownTags(String tag) {
        // lookups take lower-cased tags; upper case is the parser's job, so "PY" itself is not in the table
        assertThat(Language.resolveTag(tag)).isNull();
    }

    @Test
    void everyLanguageMapsToItself() {
        for (Language l : Language.values()) {
            assertThat(Language.resolveTag(l.id())).isEqualTo(l);
        }
        assertThat(Language.aliases().values()).containsAll(java.util.List.of(Language.values()));
    }
}
