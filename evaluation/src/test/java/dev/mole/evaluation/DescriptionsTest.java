package dev.mole.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mole.contracts.language.Language;
import org.junit.jupiter.api.Test;

class DescriptionsTest {
    private final HumanEvalTask py0 = HumanEvalPack.task(Language.PYTHON, 0); // docstring: 213 characters

    @Test
    void cutsToTheDocstringsLengthAfterStripping() {
        String answer = "\n  " + "a".repeat(300) + "\n";
        assertThat(Descriptions.clean(answer, py0)).isEqualTo("a".repeat(213));
        assertThat(Descriptions.clean("  Checks pairs.  \n", py0)).isEqualTo("Checks pairs.");
        assertThat(Descriptions.clean("x".repeat(212) + " y", py0)).isEqualTo("x".repeat(212)); // the cut's trailing blank goes
    }

    @Test
    void countsCharactersAsCodePoints() {
        String emoji = "\uD83D\uDE00"; // one character, two UTF-16 units
        String cleaned = Descriptions.clean(emoji.repeat(300), py0);
        assertThat(cleaned.codePointCount(0, cleaned.length())).isEqualTo(213);
    }

    @Test
    void removesCanonicalLinesLongerThanTwentyCharactersThatItQuotes() {
        String answer = "It loops: for idx, elem in enumerate(numbers): and then return False when done.";
        assertThat(Descriptions.clean(answer, py0)).isEqualTo("It loops:  and then return False when done.");
        // "distance = abs(elem - elem2)" is 28 characters: removed every time it appears.
        assertThat(Descriptions.clean("distance = abs(elem - elem2); distance = abs(elem - elem2)!", py0)).isEqualTo("; !");
        // Short lines ("if idx != idx2:", 15 characters) are words a description may use.
        assertThat(Descriptions.clean("if idx != idx2: return True", py0)).isEqualTo("if idx != idx2: return True");
    }

    @Test
    void theLengthLimitIsStrict() {
        String twenty = "x = compute(a, b, c)";
        String twentyOne = "y = compute(a, b, cd)";
        HumanEvalTask t = new HumanEvalTask(Language.PYTHON, "Python/0", "", "", "    " + twenty + "\n    " + twentyOne + "\n",
                "", "", "", "", "f", "d".repeat(100), "");
        assertThat(twenty).hasSize(20);
        assertThat(Descriptions.clean(twenty + " | " + twentyOne, t)).isEqualTo(twenty + " | "); // upstream strips before removing, not after
    }

    @Test
    void removesAfterCuttingSoAQuotePastTheBudgetDoesNotCount() {
        String answer = "b".repeat(200) + " for idx, elem in enumerate(numbers):";
        assertThat(Descriptions.clean(answer, py0)).isEqualTo("b".repeat(200) + " for idx, ele"); // 213
    }
}
