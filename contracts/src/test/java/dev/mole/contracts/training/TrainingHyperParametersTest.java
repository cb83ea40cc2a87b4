package dev.mole.contracts.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TrainingHyperParametersTest {

    @Test
    void precisionIsFp32ByDefaultAndFp16OnRequest() {
        assertThat(TrainingHyperParameters.paper().precision()).isEqualTo("fp32");
        assertThat(TrainingHyperParameters.paper().withPrecision(null).precision()).isEqualTo("fp32");
        assertThat(TrainingHyperParameters.paper().withPrecision(" FP16 ").precision()).isEqualTo("fp16");
    }

    @Test
    void bf16IsRefusedWithTheReason() {
        assertThatThrownBy(() -> TrainingHyperParameters.paper().withPrecision("bf16"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("aborts on bf16").hasMessageContaining("fp16 or fp32");
        assertThatThrownBy(() -> TrainingHyperParameters.paper().withPrecision("int8"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("precision 'int8' is not supported: use fp32 or fp16");
    }
}
