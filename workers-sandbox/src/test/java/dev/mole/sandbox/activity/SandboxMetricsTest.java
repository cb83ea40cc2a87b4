package dev.mole.sandbox.activity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mole.contracts.sandbox.SandboxResult;
import dev.mole.contracts.sandbox.SandboxVerdict;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SandboxMetricsTest {
    private static SandboxResult result(String language, SandboxVerdict verdict) {
        return new SandboxResult("id", language, "Python/0", verdict, "", 0, "", "", 0, 5);
    }

    @Test
    void countsProgramsByLanguageAndVerdict() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SandboxMetrics metrics = new SandboxMetrics(registry);
        metrics.graded(result("python", SandboxVerdict.PASS));
        metrics.graded(result("python", SandboxVerdict.PASS));
        metrics.graded(result("go", SandboxVerdict.FAIL));
        metrics.graded(result("", SandboxVerdict.SANDBOX_ERROR)); // a malformed line has no language
        metrics.batch(Duration.ofMillis(1500));

        assertThat(registry.get("mole.sandbox.programs").tags("language", "python", "verdict", "PASS").counter().count())
                .isEqualTo(2.0);
        assertThat(registry.get("mole.sandbox.programs").tags("language", "go", "verdict", "FAIL").counter().count())
                .isEqualTo(1.0);
        assertThat(registry.get("mole.sandbox.programs").tags("language", "unknown", "verdict", "SANDBOX_ERROR")
                .counter().count()).isEqualTo(1.0);
        assertThat(registry.get("mole.sandbox.batch").timer().count()).isEqualTo(1);
    }
}
