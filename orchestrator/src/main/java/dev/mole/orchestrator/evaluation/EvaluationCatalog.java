package dev.mole.orchestrator.evaluation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mole.contracts.evaluation.EvaluationRequest;
import dev.mole.contracts.evaluation.EvaluationSummary;
import dev.mole.contracts.evaluation.Score;
import dev.mole.contracts.evaluation.TaskKind;
import dev.mole.contracts.language.Language;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.orchestrator.platform.Jdbc;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/** Evaluations and their scores in PostgreSQL. A COMPLETED row is written in one transaction with all its scores. */
public final class EvaluationCatalog {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final TypeReference<Map<Integer, Double>> PASS_AT_K = new TypeReference<>() {};
    private static final TypeReference<List<String>> NOTES = new TypeReference<>() {};

    private final Jdbc jdbc;

    public EvaluationCatalog(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    /** One evaluation as recorded; {@code scores} is empty until it completed. */
    public record EvaluationRow(String evaluationId, String name, EvaluationRequest request, String status,
            String samples, String error, Instant startedAt, Instant finishedAt, List<Score> scores, List<String> notes) {

        public EvaluationSummary summary(boolean reused) {
            return new EvaluationSummary(evaluationId, name, reused, scores, samples == null ? null : ObjectRef.parse(samples), notes);
        }
    }

    /** Records a start; a row that failed before is started again, a running or completed one is left alone. */
    public void started(String evaluationId, EvaluationRequest r) {
        jdbc.update("""
                insert into evaluations (evaluation_id, name, request, base_checkpoint, adapters, status)
                values (?, ?, ?::jsonb, ?, ?, 'RUNNING')
                on conflict (evaluation_id) do update set status = 'RUNNING', error = null, started_at = now(),
                    name = excluded.name
                where evaluations.status = 'FAILED'""",
                evaluationId, r.name(), json(r), r.baseCheckpoint() == null ? null : r.baseCheckpoint().uri(),
                r.adapters() == null ? null : r.adapters().uri());
    }

    public void completed(String evaluationId, ObjectRef samples, List<Score> scores) {
        completed(evaluationId, samples, scores, List.of());
    }

    public void completed(String evaluationId, ObjectRef samples, List<Score> scores, List<String> notes) {
        jdbc.inTransaction(c -> {
            try (PreparedStatement del = c.prepareStatement("delete from evaluation_scores where evaluation_id = ?")) {
                del.setString(1, evaluationId);
                del.executeUpdate();
            }
            try (PreparedStatement ins = c.prepareStatement("""
                    insert into evaluation_scores (evaluation_id, task_kind, language, source, routing, passed, total,
                        pass_at_1, pass_at_k) values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)""")) {
                for (Score s : scores) {
                    ins.setString(1, evaluationId);
                    ins.setString(2, s.kind().name());
                    ins.setString(3, s.language().id());
                    ins.setString(4, s.source() == null ? "" : s.source().id());
                    ins.setString(5, s.routing());
                    ins.setInt(6, s.passed());
                    ins.setInt(7, s.total());
                    ins.setDouble(8, s.passAt1());
                    ins.setString(9, json(s.passAtK()));
                    ins.addBatch();
                }
                ins.executeBatch();
            }
            try (PreparedStatement up = c.prepareStatement("""
                    update evaluations set status = 'COMPLETED', samples = ?, notes = ?::jsonb, error = null,
                        finished_at = now()
                    where evaluation_id = ?""")) {
                up.setString(1, samples.uri());
                up.setString(2, json(notes));
                up.setString(3, evaluationId);
                if (up.executeUpdate() != 1) {
                    throw new SQLException("evaluation " + evaluationId + " was never recorded as started");
                }
            }
        });
    }

    public void failed(String evaluationId, String reason) {
        jdbc.update("update evaluations set status = 'FAILED', error = ?, finished_at = now() where evaluation_id = ?"
                + " and status <> 'COMPLETED'", reason, evaluationId);
    }

    public Optional<EvaluationRow> find(String evaluationId) {
        return jdbc.query("select * from evaluations where evaluation_id = ?", this::row, evaluationId).stream().findFirst();
    }

    /** Newest first; {@code adapters} filters to one model's evaluations when not null. */
    public List<EvaluationRow> list(int limit, String adapters) {
        if (adapters != null) {
            return jdbc.query("select * from evaluations where adapters = ? order by started_at desc limit ?", this::row,
                    adapters, limit);
        }
        return jdbc.query("select * from evaluations order by started_at desc limit ?", this::row, limit);
    }

    private EvaluationRow row(ResultSet rs) throws SQLException {
        String id = rs.getString("evaluation_id");
        String status = rs.getString("status");
        List<Score> scores = status.equals("COMPLETED") ? scores(id) : List.of();
        return new EvaluationRow(id, rs.getString("name"), read(rs.getString("request"), EvaluationRequest.class), status,
                rs.getString("samples"), rs.getString("error"), instant(rs.getTimestamp("started_at")),
                instant(rs.getTimestamp("finished_at")), scores, read(rs.getString("notes"), NOTES));
    }

    private List<Score> scores(String evaluationId) {
        return jdbc.query("""
                select * from evaluation_scores where evaluation_id = ?
                order by task_kind, routing, source, language""", rs -> {
            String source = rs.getString("source");
            return new Score(TaskKind.valueOf(rs.getString("task_kind")), Language.byId(rs.getString("language")),
                    source.isEmpty() ? null : Language.byId(source), rs.getString("routing"), rs.getInt("passed"),
                    rs.getInt("total"), rs.getDouble("pass_at_1"), read(rs.getString("pass_at_k"), PASS_AT_K));
        }, evaluationId);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static <T> T read(String s, Class<T> type) {
        try {
            return JSON.readValue(s, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable catalog row: " + e.getMessage(), e);
        }
    }

    private static <T> T read(String s, TypeReference<T> type) {
        try {
            return JSON.readValue(s, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable catalog row: " + e.getMessage(), e);
        }
    }
}
