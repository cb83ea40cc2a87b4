package dev.mole.orchestrator.platform;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * {@code mole_runs{kind, state}}: curation, finetuning and evaluation runs by state, counted in PostgreSQL when
 * Prometheus scrapes (one query for every series of a scrape; NaN, no sample, while the database does not answer).
 */
final class RunsByState implements MeterBinder {
    private static final List<String> STATES = List.of("RUNNING", "COMPLETED", "FAILED"); // the tables' check constraints
    private static final Map<String, String> TABLES = Map.of(
            "curation", "curation_runs", "finetune", "finetune_runs", "evaluation", "evaluations");
    /** Series read within this long of each other share one query (a scrape reads all nine at once). */
    private static final long FRESH_NANOS = 1_000_000_000L;

    private final DataSource dataSource;
    private Map<String, Long> counts = Map.of();
    private long readAt = Long.MIN_VALUE;
    private boolean failed;

    RunsByState(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        TABLES.keySet().stream().sorted().forEach(kind -> STATES.forEach(state ->
                Gauge.builder("mole.runs", () -> count(kind, state))
                        .description("runs recorded in the catalog, by kind and state")
                        .tag("kind", kind).tag("state", state)
                        .register(registry)));
    }

    private synchronized double count(String kind, String state) {
        long now = System.nanoTime();
        if (readAt == Long.MIN_VALUE || now - readAt > FRESH_NANOS) {
            readAt = now;
            try {
                counts = read();
                failed = false;
            } catch (SQLException e) {
                failed = true;
            }
        }
        return failed ? Double.NaN : counts.getOrDefault(kind + "/" + state, 0L);
    }

    private Map<String, Long> read() throws SQLException {
        StringBuilder sql = new StringBuilder();
        TABLES.forEach((kind, table) -> sql.append(sql.isEmpty() ? "" : " union all ")
                .append("select '").append(kind).append("', status, count(*) from ").append(table).append(" group by status"));
        Map<String, Long> out = new HashMap<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.setQueryTimeout(3);
            try (ResultSet rs = s.executeQuery(sql.toString())) {
                while (rs.next()) {
                    out.put(rs.getString(1) + "/" + rs.getString(2), rs.getLong(3));
                }
            }
        }
        return out;
    }
}
