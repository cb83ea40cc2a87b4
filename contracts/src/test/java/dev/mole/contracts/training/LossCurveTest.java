package dev.mole.contracts.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LossCurveTest {

    @Test
    void shortRunKeepsEveryStep() {
        LossCurve c = new LossCurve();
        for (int s = 1; s <= 10; s++) c.add(s, 10 - s);
        assertThat(c.points()).hasSize(10);
        assertThat(c.points().get(0)).isEqualTo(new LossCurve.Point(1, 9, 1));
    }

    @Test
    void longRunStaysBoundedAndKeepsTheMeanOfEveryStep() {
        LossCurve c = new LossCurve();
        int steps = 100_000;
        double sum = 0;
        for (int s = 1; s <= steps; s++) {
            double loss = 5.0 / Math.sqrt(s);
            sum += loss;
            c.add(s, loss);
        }
        List<LossCurve.Point> p = c.points();
        assertThat(p.size()).isLessThanOrEqualTo(LossCurve.CAPACITY).isGreaterThan(LossCurve.CAPACITY / 2);
        assertThat(p.get(p.size() - 1).step()).isEqualTo(steps);
        assertThat(p.stream().mapToInt(LossCurve.Point::count).sum()).isEqualTo(steps);
        double weighted = p.stream().mapToDouble(x -> x.loss() * x.count()).sum();
        assertThat(weighted).isCloseTo(sum, within(1e-6 * sum));
        for (int i = 1; i < p.size(); i++) assertThat(p.get(i).loss()).isLessThan(p.get(i - 1).loss()); // shape kept
    }

    @Test
    void stepsWithoutAFiniteLossAreNotPlotted() {
        LossCurve c = new LossCurve();
        c.add(1, 2.0);
        c.add(2, Double.NaN);
        c.add(3, Double.POSITIVE_INFINITY);
        c.add(4, 1.0);
        assertThat(c.points()).extracting(LossCurve.Point::step).containsExactly(1L, 4L);
    }

    @Test
    void aResumedCurveContinuesExactlyLikeAnUninterruptedOne() throws Exception {
        LossCurve whole = new LossCurve(), first = new LossCurve();
        for (int s = 1; s <= 1000; s++) {
            whole.add(s, Math.sin(s));
            if (s <= 777) first.add(s, Math.sin(s));
        }
        // the checkpoint keeps the curve as JSON: go through it as the training loop does
        ObjectMapper json = new ObjectMapper();
        var types = json.getTypeFactory();
        List<LossCurve.Point> saved = json.readValue(json.writeValueAsString(first.points()),
                types.constructCollectionType(List.class, LossCurve.Point.class));
        LossCurve resumed = LossCurve.resume(saved, List.of());
        for (int s = 778; s <= 1000; s++) resumed.add(s, Math.sin(s));
        assertThat(resumed.points()).isEqualTo(whole.points());
    }

    @Test
    void validationIsThinnedButKeepsTheFirstAndTheLatestPass() {
        LossCurve c = new LossCurve();
        for (int s = 0; s <= 1000; s += 5) c.addValidation(s, Map.of("all", 1.0 / (s + 1)));
        List<LossCurve.ValidationPoint> v = c.validation();
        assertThat(v.size()).isLessThanOrEqualTo(LossCurve.VALIDATION_CAPACITY);
        assertThat(v.get(0).step()).isZero();
        assertThat(v.get(v.size() - 1).step()).isEqualTo(1000);
    }
}
