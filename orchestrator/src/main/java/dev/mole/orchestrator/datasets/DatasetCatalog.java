package dev.mole.orchestrator.datasets;

import dev.mole.orchestrator.platform.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Datasets and curation runs in PostgreSQL. A dataset row is inserted in the same transaction that completes its run,
 * after its objects are stored, so the presence of a row is what "complete" means.
 */
public final class DatasetCatalog {
    private final Jdbc jdbc;

    public DatasetCatalog(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    public Optional<DatasetRecord> find(String datasetId) {
        List<DatasetRecord> rows = queryDatasets("where dataset_id = ?", datasetId);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    /** Datasets whose id starts with {@code prefix} (ids are lower-case hex), at most {@code limit}, by id. */
    public List<DatasetRecord> withIdPrefix(String prefix, int limit) {
        if (!prefix.matches("[0-9a-f]+")) {
            return List.of(); // not a prefix of any id; and keeps LIKE's wildcards out of the pattern
        }
        return queryDatasets("where dataset_id like ? order by dataset_id limit " + Math.max(1, Math.min(limit, 100)),
                prefix + "%");
    }

    public List<DatasetRecord> list() {
        return queryDatasets("order by created_at desc");
    }

    /** Records a finished dataset and completes its run atomically; publishing the same dataset twice is a no-op. */
    public void publish(DatasetRecord d, String runId) {
        jdbc.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into datasets (dataset_id, name, input_uri, input_sha256, input_bytes, config, manifest_uri,
                        statistics, input_rows, kept_rows, train_rows, validation_rows, dropped_rows)
                    values (?, ?, ?, ?, ?, ?::jsonb, ?, ?::jsonb, ?, ?, ?, ?, ?)
                    on conflict (dataset_id) do nothing""")) {
                ps.setString(1, d.datasetId());
                ps.setString(2, d.name());
                ps.setString(3, d.inputUri());
                ps.setString(4, d.inputSha256());
                ps.setLong(5, d.inputBytes());
                ps.setString(6, d.configJson());
                ps.setString(7, d.manifestUri());
                ps.setString(8, d.statisticsJson());
                ps.setLong(9, d.inputRows());
                ps.setLong(10, d.keptRows());
                ps.setLong(11, d.trainRows());
                ps.setLong(12, d.validationRows());
                ps.setLong(13, d.droppedRows());
                ps.executeUpdate();
            }
            finishRun(c, runId, d.datasetId(), null);
        });
    }

    public void startRun(String runId, String name, String inputUri, String requestJson) {
        jdbc.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into curation_runs (run_id, name, input_uri, request, status, phase)
                    values (?, ?, ?, ?::jsonb, 'RUNNING', 'queued')
                    on conflict (run_id) do nothing""")) {
                ps.setString(1, runId);
                ps.setString(2, name);
                ps.setString(3, inputUri);
                ps.setString(4, requestJson);
                ps.executeUpdate();
            }
        });
    }

    public void progress(String runId, String phase, long rowsRead, long bytesRead, Long totalBytes) {
        jdbc.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    update curation_runs set phase = ?, rows_read = ?, bytes_read = ?, total_bytes = ?, updated_at = now()
                    where run_id = ? and status = 'RUNNING'""")) {
                ps.setString(1, phase);
                ps.setLong(2, rowsRead);
                ps.setLong(3, bytesRead);
                if (totalBytes == null) {
                    ps.setNull(4, java.sql.Types.BIGINT);
                } else {
                    ps.setLong(4, totalBytes);
                }
                ps.setString(5, runId);
                ps.executeUpdate();
            }
        });
    }

    /** Marks a run finished: with a dataset id it completed, with an error it failed. */
    public void finishRun(String runId, String datasetId, String error) {
        jdbc.inTransaction(c -> finishRun(c, runId, datasetId, error));
    }

    private static void finishRun(Connection c, String runId, String datasetId, String error) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                update curation_runs set status = ?, phase = ?, dataset_id = ?, error = ?, updated_at = now(),
                    rows_read = coalesce((select input_rows from datasets where dataset_id = ?), rows_read),
                    bytes_read = coalesce((select input_bytes from datasets where dataset_id = ?), bytes_read),
                    total_bytes = coalesce((select input_bytes from datasets where dataset_id = ?), total_bytes)
                where run_id = ?""")) {
            // Progress is sampled once a second, so a finished run takes its final counts from its dataset.
            ps.setString(1, error == null ? "COMPLETED" : "FAILED");
            ps.setString(2, error == null ? "done" : "failed");
            ps.setString(3, datasetId);
            ps.setString(4, error);
            ps.setString(5, datasetId);
            ps.setString(6, datasetId);
            ps.setString(7, datasetId);
            ps.setString(8, runId);
            ps.executeUpdate();
        }
    }

    /**
     * Marks every RUNNING curation as FAILED with {@code reason}; for a restart of the embedded Temporal server, whose
     * workflow histories lived in memory, so those runs can never finish. Returns how many were marked.
     */
    public int failRunningRuns(String reason) {
        int[] n = new int[1];
        jdbc.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    update curation_runs set status = 'FAILED', phase = 'failed', error = ?, updated_at = now()
                    where status = 'RUNNING'""")) {
                ps.setString(1, reason);
                n[0] = ps.executeUpdate();
            }
        });
        return n[0];
    }

    public Optional<CurationRun> findRun(String runId) {
        List<CurationRun> runs = queryRuns("where run_id = ?", runId);
        return runs.isEmpty() ? Optional.empty() : Optional.of(runs.get(0));
    }

    public List<CurationRun> listRuns(int limit) {
        return queryRuns("order by started_at desc limit " + Math.max(1, Math.min(limit, 1000)));
    }

    private List<DatasetRecord> queryDatasets(String where, Object... args) {
        return jdbc.query("""
                select dataset_id, name, input_uri, input_sha256, input_bytes, config::text, manifest_uri,
                       statistics::text, input_rows, kept_rows, train_rows, validation_rows, dropped_rows, created_at
                from datasets\s""" + where, rs -> new DatasetRecord(rs.getString(1), rs.getString(2), rs.getString(3),
                rs.getString(4), rs.getLong(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getLong(9),
                rs.getLong(10), rs.getLong(11), rs.getLong(12), rs.getLong(13), rs.getTimestamp(14).toInstant()), args);
    }

    private List<CurationRun> queryRuns(String where, Object... args) {
        return jdbc.query("""
                select run_id, name, input_uri, status, phase, rows_read, bytes_read, total_bytes, dataset_id, error,
                       started_at, updated_at
                from curation_runs\s""" + where, rs -> new CurationRun(rs.getString(1), rs.getString(2),
                rs.getString(3), rs.getString(4), rs.getString(5), rs.getLong(6), rs.getLong(7),
                (Long) rs.getObject(8), rs.getString(9), rs.getString(10), instant(rs.getTimestamp(11)),
                instant(rs.getTimestamp(12))), args);
    }

    private static java.time.Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

}
