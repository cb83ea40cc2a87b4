package dev.mole.orchestrator.curation.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WordCounterTest {

    @Test
    void splitsOnWhitespaceAndTheOperatorSet() {
        assertThat(WordCounter.count("a,b;c(d)e{f}g[h]i+j-k*l/m=n<o>p!q&r|s")).isEqualTo(19);
        assertThat(WordCounter.count("  hello \t world\r\n")).isEqualTo(2);
        assertThat(WordCounter.count("x = foo(bar, baz);")).isEqualTo(4);
        assertThat(WordCounter.count("")).isZero();
        assertThat(WordCounter.count(",;()+-")).isZero();
    }

    @Test
    void otherPunctuationStaysInsideWords() {
        // '.', ':', '"', '#', '`', '_' are not separators
        assertThat(WordCounter.count("std::cout \"hi\" a.b #include ```python")).isEqualTo(5);
    }

    @Test
    void unicodeWhitespaceSeparatesAndNonAsciiLettersAreWordChars() {
        assertThat(WordCounter.count("café\u00A0naïve\u2003😀")).isEqualTo(3);
    }

    @Test
    void separatorTableMatchesPythonIsspaceForEveryChar() {
        // Python's str.isspace(): Unicode Zs, Zl, Zp, bidi WS/B/S controls; for the BMP that is the set below
        for (int c = 0; c <= 0xFFFF; c++) {
            boolean python = c < 128 ? Character.isWhitespace(c)
                    : c == 0x85 || Character.getType(c) == Character.SPACE_SEPARATOR
                            || Character.getType(c) == Character.LINE_SEPARATOR
                            || Character.getType(c) == Character.PARAGRAPH_SEPARATOR;
            boolean operator = ",;(){}[]+-*/=<>!&|".indexOf(c) >= 0;
            assertThat(WordCounter.isSeparator((char) c)).as("U+%04X", c).isEqualTo(python || operator);
        }
    }

    @Test
    void rangeCountsOnlyInside() {
        String s = "one two three four";
        assertThat(WordCounter.count(s, 4, 13)).isEqualTo(2);
        assertThat(WordCounter.count(s, 5, 9)).isEqualTo(2); // "wo t": a cut word counts once
    }

    @Test
    void codeShareFilterBoundaryIsExactlyThreeTimes() {
        assertThat(CodeShareFilter.keeps(10, 30)).isTrue();
        assertThat(CodeShareFilter.keeps(10, 31)).isFalse();
        assertThat(CodeShareFilter.keeps(0, 0)).isTrue();
    }
}
