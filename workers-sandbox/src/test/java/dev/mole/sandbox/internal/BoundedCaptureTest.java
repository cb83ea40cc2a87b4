package dev.mole.sandbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BoundedCaptureTest {

    @Test
    void shortOutputIsKeptWhole() {
        BoundedCapture c = new BoundedCapture(new ByteArrayInputStream("hello\n".getBytes(StandardCharsets.UTF_8)),
                new AtomicLong(), 1000, 400, () -> { });
        c.run();
        assertThat(c.text()).isEqualTo("hello\n");
    }

    @Test
    void longOutputKeepsHeadAndTailAndSaysHowMuchWasCut() {
        String text = "HEAD" + "x".repeat(10_000) + "TAIL";
        BoundedCapture c = new BoundedCapture(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                new AtomicLong(), 1_000_000, 400, () -> { });
        c.run();
        assertThat(c.text()).startsWith("HEAD").endsWith("TAIL").contains("bytes elided");
        assertThat(c.text().length()).isLessThan(500);
    }

    @Test
    void budgetSharedByBothStreamsTriggersTheKill() {
        AtomicLong shared = new AtomicLong(900);
        AtomicBoolean killed = new AtomicBoolean();
        BoundedCapture c = new BoundedCapture(new ByteArrayInputStream(new byte[200]), shared, 1000, 400, () -> killed.set(true));
        c.run();
        assertThat(killed).isTrue();
    }
}
