package dev.mole.orchestrator.finetune;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mole.contracts.training.FinetuneRequest;
import dev.mole.contracts.training.FinetuneSummary;
import dev.mole.contracts.training.TrainingResult;
import dev.mole.orchestrator.platform.Jdbc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Finetuning runs and their per-seed results in PostgreSQL. */
public final class FinetuneCatalog {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Jdbc jdbc;

    public FinetuneCatalog(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    public record FinetuneRun(String runId, String name, String method, String variant, String init, String seedsJson,
            String datasetManifest, String baseCheckpoint, String status, String summaryJson, String error,
            Instant startedAt, Instant updatedAt) {}

    public record SeedRow(String runId, long seed, String outputManifest, long steps, Double finalTrainLoss,
            String validationLossJson) {}

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
                insert into finetune_seed_results (run_id, seed, output_manifest, steps, final_train_loss, validation_loss)
                values (?, ?, ?, ?, ?, ?::jsonb)
                on conflict (run_id, seed) do update set output_manifest = excluded.output_manifest,
                    steps = excluded.steps, final_train_loss = excluded.final_train_loss,
                    validation_loss = excluded.validation_loss, finished_at = now()""",
                runId, seed, r.outputManifest().uri(), r.steps(), loss, json(r.validationLoss()));
        jdbc.update("update finetune_runs set updated_at = now() where run_id = ?", runId);
    }

    public void finished(String runId, FinetuneSummary summary, String error) {
        jdbc.update("""
                update finetune_runs set status = ?, summary = ?::jsonb, error = ?, updated_at = now()
                where run_id = ?""",
                error == null ? "COMPLETED" : "FAILED", summary == null ? null : json(summary), error, runId);
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
                select run_id, seed, output_manifest, steps, final_train_loss, validation_loss::text
                from finetune_seed_results where run_id = ? order by seed""",
                rs -> new SeedRow(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getLong(4),
                        (Double) rs.getObject(5), rs.getString(6)), runId);
    }

    private List<FinetuneRun> runs(String where, Object... args) {
        return jdbc.query("""
                select run_id, name, method, variant, init, seeds::text, dataset_manifest, base_checkpoint, status,
                       summary::text, error, started_at, updated_at
                from finetune_runs\s""" + where, rs -> new FinetuneRun(rs.getString(1), rs.getString(2),
                rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                rs.getString(9), rs.getString(10), rs.getString(11), rs.getTimestamp(12).toInstant(),
                rs.getTimestamp(13).toInstant()), args);
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
