package dev.mole.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CompletionMarkerTest {
    private static final CompletionMarker MARKER = new CompletionMarker("mole-tests-finished-" + "3f".repeat(16));

    @Test
    void everyRunGetsItsOwnMarker() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertThat(seen.add(CompletionMarker.fresh().line())).isTrue();
        }
    }

    @Test
    void onlyTheWholeLineCounts() {
        assertThat(MARKER.isShownIn("ok\n" + MARKER.line() + "\n")).isTrue();
        assertThat(MARKER.isShownIn(MARKER.line())).as("at the very end, without a line break").isTrue();
        assertThat(MARKER.isShownIn("")).isFalse();
        assertThat(MARKER.isShownIn("echo " + MARKER.line() + "\n")).as("inside another line").isFalse();
        assertThat(MARKER.isShownIn(MARKER.line() + "0\n")).as("a longer line").isFalse();
        assertThat(MARKER.isShownIn(MARKER.line().substring(1) + "\n")).isFalse();
        assertThat(MARKER.isShownIn("mole-tests-finished-" + "0".repeat(32) + "\n")).as("another run's marker").isFalse();
    }

    @Test
    void whatTheProgramWritesStandsOnItsOwnLineAfterAnyOutput() {
        assertThat(MARKER.isShownIn("no newline at the end" + MARKER.emitted())).isTrue();
    }

    @Test
    void strippingGivesBackWhatTheProgramItselfPrinted() {
        assertThat(MARKER.strippedFrom("ok\n" + MARKER.emitted())).isEqualTo("ok\n");
        assertThat(MARKER.strippedFrom("partial" + MARKER.emitted())).isEqualTo("partial");
        assertThat(MARKER.strippedFrom(MARKER.emitted())).isEmpty();
        assertThat(MARKER.strippedFrom("test zz ... " + MARKER.emitted() + "ok\n")).isEqualTo("test zz ... ok\n");
        assertThat(MARKER.strippedFrom("no marker\n")).isEqualTo("no marker\n");
    }

    @Test
    void theLiteralIsTheEmittedTextWithEscapedLineBreaks() {
        assertThat(MARKER.quotedLiteral()).isEqualTo("\"\\n" + MARKER.line() + "\\n\"");
    }

    @Test
    void onlyLinesThatAreSafeInsideAStringLiteralOfEveryLanguageAreMarkers() {
        assertThatThrownBy(() -> new CompletionMarker("mole-tests-finished-\"); exit(0); (\""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CompletionMarker("PASS")).isInstanceOf(IllegalArgumentException.class);
    }
}
