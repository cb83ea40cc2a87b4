package dev.mole.contracts.training;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingProgressTest {

    static TrainingProgress at(String phase) {
        return TrainingProgress.of(phase, 1, 2, 0, 1.0, 1e-4, 10, Map.of(), 1);
    }

    @Test
    void whatHappensInAPhaseIsNotPartOfItsName() {
        assertThat(at("train").trainingPhase()).isEqualTo("train");
        assertThat(at("train:done").trainingPhase()).isEqualTo("train");
        assertThat(at("train:validation").trainingPhase()).isEqualTo("train");
        assertThat(at("train:python:upload").trainingPhase()).isEqualTo("train:python");
        assertThat(at("train:python").trainingPhase()).isEqualTo("train:python");
    }

    @Test
    void theDerivedPhaseIsNotInTheJson() throws Exception {
        // heartbeats travel as JSON: only the record's components, so it reads back equal
        ObjectMapper json = new ObjectMapper();
        String text = json.writeValueAsString(at("train:done"));
        assertThat(text).doesNotContain("trainingPhase");
        assertThat(json.readValue(text, TrainingProgress.class)).isEqualTo(at("train:done"));
    }
}
