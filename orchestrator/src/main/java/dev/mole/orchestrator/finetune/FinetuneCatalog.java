package dev.mole.orchestrator.finetune;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mole.contracts.training.FinetuneRequest;
import dev.mole.contracts.training.FinetuneSummary;
import dev.mole.contracts.training.LossCurve;
import dev.mole.contracts.training.TrainingResult;
import dev.mole.orchestrator.platform.Jdbc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/** Finetuning runs and their per-seed results (with their loss curves) in PostgreSQL. */
public final class FinetuneCatalog {
    /** Rows outlive the code that wrote them: a field this version does not know is skipped, not an error. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final TypeReference<List<Long>> SEEDS = new TypeReference<>() {};
    private static final TypeReference<Map<String, Double>> LOSSES = new TypeReference<>() {};
    private static final TypeReference<Map<String, List<LossCurve.Point>>> CURVES = new TypeReference<>() {};
    private static final TypeReference<Map<String, List<LossCurve.ValidationPoint>>> VALIDATION_CURVES =
            new TypeReference<>() {};
    private static final TypeReference<FinetuneRequest> REQUEST = new TypeReference<>() {};
    private static final TypeReference<FinetuneSummary> SUMMARY = new TypeReference<>() {};

    private final Jdbc jdbc;

    public FinetuneCatalog(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    /**
     * A run as recorded.
     *
     * @param summary   null until the run completed; its seed results carry no curves (those are in {@link SeedRow})
     * @param seedsDone seeds whose result is recorded
     */
    public record FinetuneRun(String runId, String name, String method, String variant, String init, List<Long> seeds,
            FinetuneRequest request, String datasetManifest, String baseCheckpoint, String status,
            FinetuneSummary summary, String error, int seedsDone, Instant startedAt, Instant updatedAt) {}

    /**
     * One seed's recorded result.
     *
     * @param resumedFromStep null for seeds recorded before the platform kept it
     * @param finalTrainLoss  null when the seed did not train (NO_FT)
     */
    public record SeedRow(String runId, long seed, String outputManifest, long steps, Long resumedFromStep,
            Double finalTrainLoss, Map<String, Double> validationLoss, Map<String, List<LossCurve.Point>> lossCurves,
            Map<String, List<LossCurve.ValidationPoint>> validationCurves, Instant finishedAt) {}

    public void started(String runId, FinetuneRequest r) {
        jdbc.update("""
                insert into finetune_runs (run_id, name, method, variant, init, seeds, request, dataset_manifest,
                    base_checkpoint, status)
                values (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, 'RUNNING')
                on conflict (run_id) do nothing""",
                runId, r.name(), r.method().name(), r.variant(), r.init(), json(r.seeds()), json(r),
                r.datasetManifest().uri(), r.baseCheckpoint().uri());
    }

    public void seedFinished(String runId, long seed, TrainingResult r) {
        Double loss = Double.isFinite(r.finalTrainLoss()) ? r.finalTrainLoss() : null;
        jdbc.update("""
                insert into finetune_seed_results (run_id, seed, output_manifest, steps, final_train_loss, validation_loss,
                    loss_curves, validation_curves, resumed_from_step)
                values (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?)
                on conflict (run_id, seed) do update set output_manifest = excluded.output_manifest,
                    steps = excluded.steps, final_train_loss = excluded.final_train_loss,
                    validation_loss = excluded.validation_loss, loss_curves = excluded.loss_curves,
                    validation_curves = excluded.validation_curves, resumed_from_step = excluded.resumed_from_step,
                    finished_at = now()""",
                runId, seed, r.outputManifest().uri(), r.steps(), loss, json(r.validationLoss()), json(r.lossCurves()),
                json(r.validationCurves()), r.resumedFromStep());
        jdbc.update("delete from finetune_seed_failures where run_id = ? and seed = ?", runId, seed);
        jdbc.update("update finetune_runs set updated_at = now() where run_id = ?", runId);
    }

    public void seedFailed(String runId, long seed, String error) {
        jdbc.update("""
                insert into finetune_seed_failures (run_id, seed, error) values (?, ?, ?)
                on conflict (run_id, seed) do update set error = excluded.error, failed_at = now()""", runId, seed, error);
        jdbc.update("update finetune_runs set updated_at = now() where run_id = ?", runId);
    }

    /** Seed -> why it ended without a result, for the seeds whose failure was recorded. */
    public Map<Long, String> seedFailures(String runId) {
        Map<Long, String> out = new java.util.TreeMap<>();
        for (var row : jdbc.query("select seed, error from finetune_seed_failures where run_id = ? order by seed",
                rs -> Map.entry(rs.getLong(1), rs.getString(2)), runId)) {
            out.put(row.getKey(), row.getValue());
        }
        return out;
    }

    /** The summary is stored without the seeds' curves: those are in the seed rows already, and the run list reads it. */
    public void finished(String runId, FinetuneSummary summary, String error) {
        jdbc.update("""
                update finetune_runs set status = ?, summary = ?::jsonb, error = ?, updated_at = now()
                where run_id = ?""",
                error == null ? "COMPLETED" : "FAILED", summary == null ? null : json(withoutCurves(summary)), error, runId);
    }

    /** See {@code DatasetCatalog.failRunningRuns}: runs whose in-memory workflow history is gone. */
    public void failRunningRuns(String reason) {
        jdbc.update("update finetune_runs set status = 'FAILED', error = ?, updated_at = now() where status = 'RUNNING'",
                reason);
    }

    public List<FinetuneRun> list(int limit) {
        return runs("order by started_at desc limit " + Math.max(1, Math.min(limit, 1000)));
    }

    public Optional<FinetuneRun> find(String runId) {
        return runs("where run_id = ?", runId).stream().findFirst();
    }

    public List<SeedRow> seeds(String runId) {
        return jdbc.query("""
                select run_id, seed, output_manifest, steps, resumed_from_step, final_train_loss, validation_loss::text,
                       loss_curves::text, validation_curves::text, finished_at
                from finetune_seed_results where run_id = ? order by seed""",
                rs -> new SeedRow(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getLong(4),
                        (Long) rs.getObject(5), (Double) rs.getObject(6), parse(rs.getString(7), LOSSES),
                        parse(rs.getString(8), CURVES), parse(rs.getString(9), VALIDATION_CURVES),
                        rs.getTimestamp(10).toInstant()), runId);
    }

    private List<FinetuneRun> runs(String where, Object... args) {
        return jdbc.query("""
                select run_id, name, method, variant, init, seeds::text, request::text, dataset_manifest,
                       base_checkpoint, status, summary::text, error,
                       (select count(*) from finetune_seed_results s where s.run_id = r.run_id),
                       started_at, updated_at
                from finetune_runs r\s""" + where, FinetuneCatalog::run, args);
    }

    private static FinetuneRun run(ResultSet rs) throws SQLException {
        String summary = rs.getString(11);
        return new FinetuneRun(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                parse(rs.getString(6), SEEDS), parse(rs.getString(7), REQUEST), rs.getString(8),
                rs.getString(9), rs.getString(10), summary == null ? null : parse(summary, SUMMARY),
                rs.getString(12), rs.getInt(13), rs.getTimestamp(14).toInstant(), rs.getTimestamp(15).toInstant());
    }

    private static FinetuneSummary withoutCurves(FinetuneSummary s) {
        return new FinetuneSummary(s.runId(), s.seeds().stream().map(seed -> {
            TrainingResult r = seed.result();
            return new FinetuneSummary.SeedResult(seed.seed(), new TrainingResult(r.outputManifest(), r.steps(),
                    r.resumedFromStep(), r.finalTrainLoss(), r.validationLoss(), Map.of(), Map.of()));
        }).toList(), s.validationLoss());
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T parse(String text, TypeReference<T> type) {
        try {
            return JSON.readValue(text, type);
        } catch (IOException e) {
            throw new UncheckedIOException("catalog holds JSON this version cannot read: " + e.getMessage(), e);
        }
    }
}
