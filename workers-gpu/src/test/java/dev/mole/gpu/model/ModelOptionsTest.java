package dev.mole.gpu.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import org.junit.jupiter.api.Test;

class ModelOptionsTest {

    @Test
    void deviceIsConfiguration() {
        assertThat(ModelOptions.defaults().resolveDevice().isGpu()).isFalse();
        boolean gpus = Engine.getEngine("PyTorch").getGpuCount() > 0;
        assertThat(ModelOptions.defaults().withDevice("auto").resolveDevice().isGpu()).isEqualTo(gpus);
        if (!gpus) {
            assertThatThrownBy(() -> ModelOptions.defaults().withDevice("gpu").resolveDevice())
                    .hasMessageContaining("device 'gpu' requested").hasMessageContaining("0 GPU");
        }
    }
}
