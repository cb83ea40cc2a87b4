package dev.mole.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SandboxPolicyTest {

    @Test
    void defaultsAreBoundedAndNetworkIsOff() {
        SandboxPolicy p = SandboxPolicy.defaults();
        assertThat(p.networkAllowed()).isFalse();
        assertThat(p.runWallClock()).isLessThanOrEqualTo(Duration.ofSeconds(60));
        assertThat(p.memoryBytes()).isBetween(256L << 20, 4L << 30);
        assertThat(p.maxProcesses()).isBetween(16, 1024);
        assertThat(p.maxOutputBytes()).isLessThanOrEqualTo(16L << 20);
        assertThat(p.scratchBytes()).isLessThanOrEqualTo(1L << 30);
    }

    @Test
    void withersChangeOneLimitOnly() {
        SandboxPolicy p = SandboxPolicy.defaults().withRunWallClock(Duration.ofSeconds(2)).withMemoryBytes(128L << 20);
        assertThat(p.runWallClock()).isEqualTo(Duration.ofSeconds(2));
        assertThat(p.memoryBytes()).isEqualTo(128L << 20);
        assertThat(p.maxProcesses()).isEqualTo(SandboxPolicy.defaults().maxProcesses());
    }

    @Test
    void nonsenseLimitsAreRejected() {
        assertThatThrownBy(() -> SandboxPolicy.defaults().withRunWallClock(Duration.ZERO)).hasMessageContaining("runWallClock");
        assertThatThrownBy(() -> SandboxPolicy.defaults().withMemoryBytes(1024)).hasMessageContaining("memoryBytes");
        assertThatThrownBy(() -> SandboxPolicy.defaults().withMaxProcesses(1)).hasMessageContaining("maxProcesses");
        assertThatThrownBy(() -> SandboxPolicy.defaults().withCpuTime(Duration.ofMillis(10))).hasMessageContaining("cpuTime");
    }
}
