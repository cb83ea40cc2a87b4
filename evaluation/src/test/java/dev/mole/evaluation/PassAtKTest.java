package dev.mole.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class PassAtKTest {

    @Test
    void greedyPassAtOneIsPassOrFail() {
        assertThat(PassAtK.estimate(1, 1, 1)).isEqualTo(1.0);
        assertThat(PassAtK.estimate(1, 0, 1)).isEqualTo(0.0);
    }

    @Test
    void matchesTheBinomialFormulaOnHandComputedCases() {
        // 1 - C(n-c, k) / C(n, k)
        assertThat(PassAtK.estimate(10, 5, 1)).isCloseTo(0.5, within(1e-12)); // = c / n for k = 1
        assertThat(PassAtK.estimate(5, 2, 2)).isCloseTo(1 - 3.0 / 10, within(1e-12)); // C(3,2)=3, C(5,2)=10
        assertThat(PassAtK.estimate(20, 3, 5)).isCloseTo(1 - 6188.0 / 15504, within(1e-12)); // C(17,5), C(20,5)
        assertThat(PassAtK.estimate(10, 0, 5)).isEqualTo(0.0);
    }

    @Test
    void isOneWhenEveryDrawOfKHoldsAPass() {
        assertThat(PassAtK.estimate(10, 6, 5)).isEqualTo(1.0); // only 4 failures: 5 draws cannot all fail
        assertThat(PassAtK.estimate(3, 3, 1)).isEqualTo(1.0);
    }

    @Test
    void staysFiniteWhereBinomialsWouldOverflow() {
        // C(200, 100) is about 9e58: the product form needs none of it. Value from the closed form in exact arithmetic.
        assertThat(PassAtK.estimate(200, 10, 10)).isCloseTo(0.408547866081417, within(1e-12));
        assertThat(PassAtK.estimate(2000, 1, 1000)).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void meanIsTheAverageOverTasks() {
        assertThat(PassAtK.mean(1, List.of(new PassAtK.Counts(1, 1), new PassAtK.Counts(1, 0),
                new PassAtK.Counts(1, 1), new PassAtK.Counts(1, 1)))).isEqualTo(0.75);
        assertThat(PassAtK.mean(2, List.of(new PassAtK.Counts(5, 2), new PassAtK.Counts(5, 0)))).isCloseTo(0.35, within(1e-12));
    }

    @Test
    void rejectsImpossibleCounts() {
        assertThatThrownBy(() -> PassAtK.estimate(0, 0, 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("n = 0");
        assertThatThrownBy(() -> PassAtK.estimate(5, -1, 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("c = -1");
        assertThatThrownBy(() -> PassAtK.estimate(5, 6, 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("c = 6");
        assertThatThrownBy(() -> PassAtK.estimate(5, 1, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("k = 0");
        assertThatThrownBy(() -> PassAtK.estimate(5, 1, 6)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("k = 6");
        assertThatThrownBy(() -> PassAtK.mean(1, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PassAtK.mean(3, List.of(new PassAtK.Counts(2, 1)))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PassAtK.Counts(1, 2)).isInstanceOf(IllegalArgumentException.class);
    }
}
