package dev.mole.orchestrator.experiment;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mole.contracts.experiment.ExperimentRequest;
import dev.mole.contracts.experiment.ExperimentStatus;
import dev.mole.contracts.training.TrainingResult;
import dev.mole.orchestrator.platform.Jdbc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/** Experiments, their stages and their arm/seed rows in PostgreSQL (V7): an experiment's durable progress. */
public final class ExperimentCatalog {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** The stage that curates (or finds) the dataset; its detail when COMPLETED is the dataset's manifest URI. */
    public static final String DATASET_STAGE = "dataset";

    private final Jdbc jdbc;

    public ExperimentCatalog(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    public record ExperimentRow(String experimentId, String name, ExperimentRequest request, ExperimentStatus status,
            String datasetManifest, String error, Instant startedAt, Instant updatedAt, Instant finishedAt) {}

    public record StageRow(String stage, String state, String detail, Instant updatedAt) {}

    /**
     * @param training the training result without its curves (null for No-FT or before training ended)
     */
    public record ArmSeedRow(String arm, long seed, String method, String state, String outputManifest,
            TrainingResult training, String evaluationId, String error, Instant trainingStartedAt,
            Instant registeredAt, Instant finishedAt, Instant updatedAt, String registeredAs) {}

    /**
     * Records the experiment as RUNNING (a new row, or an old one that ended or was left running) and makes every arm
     * and seed without a result PENDING again, in one transaction.
     */
    public void begin(String experimentId, ExperimentRequest r) {
        jdbc.inTransaction(c -> {
            try (var ps = c.prepareStatement("""
                    insert into experiments (experiment_id, name, request, status, dataset_manifest)
                    values (?, ?, ?::jsonb, 'RUNNING', ?)
                    on conflict (experiment_id) do update set status = 'RUNNING', error = null, finished_at = null,
                        updated_at = now()""")) {
                ps.setString(1, experimentId);
                ps.setString(2, r.name());
                ps.setString(3, json(r));
                ps.setString(4, r.datasetManifest() == null ? null : r.datasetManifest().uri());
                ps.executeUpdate();
            }
            try (var ps = c.prepareStatement("""
                    insert into experiment_arm_seeds (experiment_id, arm, seed, method, state) values (?, ?, ?, ?, 'PENDING')
                    on conflict (experiment_id, arm, seed) do update set state = 'PENDING', error = null, updated_at = now()
                    where experiment_arm_seeds.state <> 'COMPLETED'""")) {
                for (var arm : r.arms()) {
                    for (long seed : r.seedsOf(arm)) {
                        ps.setString(1, experimentId);
                        ps.setString(2, arm.name());
                        ps.setLong(3, seed);
                        ps.setString(4, arm.method().name());
                        ps.addBatch();
                    }
                }
                ps.executeBatch();
            }
        });
    }

    public void stage(String experimentId, String stage, String state, String detail) {
        jdbc.update("""
                insert into experiment_stages (experiment_id, stage, state, detail) values (?, ?, ?, ?)
                on conflict (experiment_id, stage) do update set state = excluded.state, detail = excluded.detail,
                    updated_at = now()""", experimentId, stage, state, detail);
        if (stage.equals(DATASET_STAGE) && state.equals("COMPLETED")) {
            jdbc.update("update experiments set dataset_manifest = ?, updated_at = now() where experiment_id = ?",
                    detail, experimentId);
        }
    }

    /** TRAINING, EVALUATING or FAILED; a COMPLETED row is never moved back. */
    public void armSeed(String experimentId, String arm, long seed, String state, String error) {
        jdbc.update("""
                update experiment_arm_seeds set state = ?, error = ?, updated_at = now(),
                    training_started_at = case when ? = 'TRAINING' then now() else training_started_at end
                where experiment_id = ? and arm = ? and seed = ? and state <> 'COMPLETED'""",
                state, error, state, experimentId, arm, seed);
        touch(experimentId);
    }

    /** @param registeredAs the registry version the output became ({@code model@version}) */
    public void registered(String experimentId, String arm, long seed, TrainingResult t, String registeredAs) {
        jdbc.update("""
                update experiment_arm_seeds set output_manifest = ?, training = ?::jsonb, registered_at = now(),
                    registered_as = ?, updated_at = now()
                where experiment_id = ? and arm = ? and seed = ?""",
                t.outputManifest().uri(), json(withoutCurves(t)), registeredAs, experimentId, arm, seed);
    }

    public void completed(String experimentId, String arm, long seed, String evaluationId) {
        jdbc.update("""
                update experiment_arm_seeds set state = 'COMPLETED', evaluation_id = ?, error = null,
                    finished_at = now(), updated_at = now()
                where experiment_id = ? and arm = ? and seed = ?""", evaluationId, experimentId, arm, seed);
        touch(experimentId);
    }

    public void finished(String experimentId, ExperimentStatus status, String error) {
        jdbc.inTransaction(c -> {
            try (var ps = c.prepareStatement("""
                    update experiments set status = ?, error = ?, finished_at = now(), updated_at = now()
                    where experiment_id = ?""")) {
                ps.setString(1, status.name());
                ps.setString(2, error);
                ps.setString(3, experimentId);
                ps.executeUpdate();
            }
            if (status == ExperimentStatus.CANCELLED) {
                try (var ps = c.prepareStatement("""
                        update experiment_arm_seeds set state = 'CANCELLED', updated_at = now()
                        where experiment_id = ? and state in ('PENDING', 'TRAINING', 'EVALUATING')""")) {
                    ps.setString(1, experimentId);
                    ps.executeUpdate();
                }
            }
        });
    }

    public Optional<ExperimentRow> find(String experimentId) {
        return jdbc.query("select * from experiments where experiment_id = ?", ExperimentCatalog::experiment, experimentId)
                .stream().findFirst();
    }

    public List<ExperimentRow> list(int limit) {
        return jdbc.query("select * from experiments order by started_at desc limit ?", ExperimentCatalog::experiment,
                Math.max(1, Math.min(limit, 1000)));
    }

    /** Experiments recorded as RUNNING: after a restart of an embedded platform, those whose workflow history is gone. */
    public List<ExperimentRow> running() {
        return jdbc.query("select * from experiments where status = 'RUNNING' order by started_at",
                ExperimentCatalog::experiment);
    }

    public List<StageRow> stages(String experimentId) {
        return jdbc.query("select stage, state, detail, updated_at from experiment_stages where experiment_id = ? order by stage",
                rs -> new StageRow(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs.getTimestamp(4))),
                experimentId);
    }

    public List<ArmSeedRow> armSeeds(String experimentId) {
        return jdbc.query("select * from experiment_arm_seeds where experiment_id = ? order by arm, seed", rs -> {
            String training = rs.getString("training");
            return new ArmSeedRow(rs.getString("arm"), rs.getLong("seed"), rs.getString("method"), rs.getString("state"),
                    rs.getString("output_manifest"), training == null ? null : read(training, TrainingResult.class),
                    rs.getString("evaluation_id"), rs.getString("error"), instant(rs.getTimestamp("training_started_at")),
                    instant(rs.getTimestamp("registered_at")), instant(rs.getTimestamp("finished_at")),
                    instant(rs.getTimestamp("updated_at")), rs.getString("registered_as"));
        }, experimentId);
    }

    private void touch(String experimentId) {
        jdbc.update("update experiments set updated_at = now() where experiment_id = ?", experimentId);
    }

    private static ExperimentRow experiment(ResultSet rs) throws SQLException {
        return new ExperimentRow(rs.getString("experiment_id"), rs.getString("name"),
                read(rs.getString("request"), ExperimentRequest.class), ExperimentStatus.valueOf(rs.getString("status")),
                rs.getString("dataset_manifest"), rs.getString("error"), instant(rs.getTimestamp("started_at")),
                instant(rs.getTimestamp("updated_at")), instant(rs.getTimestamp("finished_at")));
    }

    private static TrainingResult withoutCurves(TrainingResult r) {
        return new TrainingResult(r.outputManifest(), r.steps(), r.resumedFromStep(), r.finalTrainLoss(),
                r.validationLoss(), Map.of(), Map.of());
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T read(String text, Class<T> type) {
        try {
            return JSON.readValue(text, type);
        } catch (IOException e) {
            throw new UncheckedIOException("catalog holds JSON this version cannot read: " + e.getMessage(), e);
        }
    }
}
