package dev.mole.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogfmtLayoutTest {
    private final LoggerContext context = new LoggerContext();

    private LoggingEvent event(String message, Throwable error, Map<String, String> mdc) {
        LoggingEvent e = new LoggingEvent("x", context.getLogger("dev.mole.Thing"), Level.WARN, message, error, null);
        e.setMDCPropertyMap(mdc);
        e.setThreadName("worker 1");
        return e;
    }

    @Test
    void aLineOutsideARunHasNoRunKeys() {
        String line = new LogfmtLayout().doLayout(event("plain", null, Map.of()));
        assertThat(line).matches("ts=\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z level=WARN logger=dev.mole.Thing "
                + "thread=\"worker 1\" msg=plain\n");
    }

    @Test
    void quotesNewlinesAndStackTracesStayOnOneEscapedLine() {
        String line = new LogfmtLayout().doLayout(event("say \"hi\"\nthen a\\b", new IllegalStateException("boom"),
                Map.of("run_id", "ft-1", "activity", "Train")));
        assertThat(line.indexOf('\n')).isEqualTo(line.length() - 1);
        assertThat(line).contains(" run_id=ft-1 activity=Train ", " msg=\"say \\\"hi\\\"\\nthen a\\\\b\" ",
                " error=\"java.lang.IllegalStateException: boom\\n\tat ".replace("\t", "\\t"));
    }

    @Test
    void theSdksOwnRunKeysAreUsedWhereOursAreNotSet() {
        String line = new LogfmtLayout().doLayout(event("Activity failure", null,
                Map.of("WorkflowId", "evaluation-abc", "ActivityType", "Generate", "RunId", "uuid")));
        assertThat(line).contains(" run_id=evaluation-abc activity=Generate logger=").doesNotContain("uuid");
    }
}
