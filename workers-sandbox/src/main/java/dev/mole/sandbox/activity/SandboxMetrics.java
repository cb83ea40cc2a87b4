package dev.mole.sandbox.activity;

import dev.mole.contracts.sandbox.SandboxResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Sandbox meters: {@code mole_sandbox_programs_total{language, verdict}}, one per graded program as it finishes
 * (programs/s is its {@code rate()}), and {@code mole_sandbox_batch_seconds}, the wall time of each batch.
 */
final class SandboxMetrics {
    private final MeterRegistry registry;

    SandboxMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    static SandboxMetrics global() {
        return new SandboxMetrics(Metrics.globalRegistry);
    }

    void graded(SandboxResult r) {
        Counter.builder("mole.sandbox.programs").description("programs graded, by language and verdict")
                .tag("language", r.language() == null || r.language().isBlank() ? "unknown" : r.language())
                .tag("verdict", String.valueOf(r.verdict()))
                .register(registry).increment();
    }

    void batch(Duration wall) {
        Timer.builder("mole.sandbox.batch").description("wall time of one batch of programs").register(registry)
                .record(wall);
    }
}
