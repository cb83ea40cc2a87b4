package dev.mole.ops;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * The platform's one log format: one logfmt line per event,
 * {@code ts=... level=INFO run_id=... activity=... logger=... thread=... msg="..."} (run_id, workflow and activity only
 * when the line was written inside a run, see {@link RunContext}, or by the Temporal SDK about one; {@code error="..."} with the stack trace when there is
 * one). Values with spaces, quotes or newlines are quoted and escaped, so a line is always one line and parses as logfmt.
 */
public final class LogfmtLayout extends LayoutBase<ILoggingEvent> {
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);

    private static final String[] RUN_KEYS = {RunContext.RUN_ID, RunContext.WORKFLOW, RunContext.ACTIVITY};
    /** The MDC keys the Temporal SDK sets itself around the tasks it runs (its {@code LoggerTag}). */
    private static final String[] SDK_KEYS = {"WorkflowId", "WorkflowType", "ActivityType"};

    @Override
    public String doLayout(ILoggingEvent e) {
        StringBuilder b = new StringBuilder(160);
        b.append("ts=").append(TS.format(Instant.ofEpochMilli(e.getTimeStamp())));
        b.append(" level=").append(e.getLevel());
        Map<String, String> mdc = e.getMDCPropertyMap() == null ? Map.of() : e.getMDCPropertyMap();
        for (int i = 0; i < RUN_KEYS.length; i++) {
            // the SDK's own keys where ours are not set: its lines about a run (e.g. an activity that failed) say which
            String v = mdc.getOrDefault(RUN_KEYS[i], mdc.get(SDK_KEYS[i]));
            if (v != null) {
                field(b, RUN_KEYS[i], v);
            }
        }
        field(b, "logger", e.getLoggerName());
        field(b, "thread", e.getThreadName());
        field(b, "msg", e.getFormattedMessage());
        IThrowableProxy error = e.getThrowableProxy();
        if (error != null) {
            field(b, "error", ThrowableProxyUtil.asString(error).strip());
        }
        return b.append('\n').toString();
    }

    private static void field(StringBuilder b, String key, String value) {
        b.append(' ').append(key).append('=');
        String v = value == null ? "" : value;
        if (!v.isEmpty() && v.chars().noneMatch(c -> c <= ' ' || c == '"' || c == '=' || c == '\\')) {
            b.append(v);
            return;
        }
        b.append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> b.append(c);
            }
        }
        b.append('"');
    }
}
