package dev.mole.orchestrator.experiment;

import dev.mole.contracts.evaluation.Score;
import dev.mole.contracts.evaluation.TaskKind;
import dev.mole.contracts.experiment.ExperimentArm;
import dev.mole.contracts.experiment.ExperimentStatus;
import dev.mole.contracts.training.FinetuneSummary.Spread;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An experiment in the shape of the paper's Table II: one row per arm, summarisation (explain), synthesis and
 * translation Pass@1 as mean and sample standard deviation over the seeds that have a result, the best mean per column
 * marked, a per-language breakdown, parameter counts and training cost; every seed's own numbers beside.
 *
 * <p>A seed's number for a column is the mean Pass@1 over that task kind's cells (languages, or translation pairs), as
 * the papers' average column; forced-routing cells (the specialisation matrix) are left out.
 *
 * @param columns the task kinds the experiment evaluates, in the paper's order
 */
public record ExperimentComparison(String experimentId, String name, ExperimentStatus status, List<String> columns,
        List<ArmRow> arms) {

    /** Column names for tables and JSON, in the paper's order. */
    public static final Map<TaskKind, String> COLUMNS = Map.of(
            TaskKind.EXPLAIN_SYNTHESIS, "summarisation", TaskKind.SYNTHESIS, "synthesis", TaskKind.TRANSLATION, "translation");
    static final List<TaskKind> ORDER = List.of(TaskKind.EXPLAIN_SYNTHESIS, TaskKind.SYNTHESIS, TaskKind.TRANSLATION);

    /**
     * @param headline     column -> mean and spread over seeds, with whether it is the column's best mean
     * @param perLanguage  {@code column/language} (the target language for translation) -> mean and spread over seeds
     * @param parameters   trainable parameters of one seed's adapters; null when not known (Full-FT, or no seed trained)
     * @param cost         summed over the arm's seeds
     */
    public record ArmRow(String arm, String method, String variant, String init, Map<String, Cell> headline,
            Map<String, Cell> perLanguage, Long parameters, Cost cost, List<SeedRow> seeds) {}

    /** Mean, sample standard deviation (0 for one seed) and count over seeds; best marks the column's highest mean. */
    public record Cell(double mean, double std, int n, boolean best) {
        static Cell of(List<Double> values) {
            Spread s = Spread.of(values);
            return new Cell(s.mean(), s.std(), s.n(), false);
        }

        Cell marked() {
            return new Cell(mean, std, n, true);
        }
    }

    /**
     * @param steps          optimiser steps, summed over seeds
     * @param trainingHours  wall-clock hours from each seed's training start to its adapters being registered (queueing
     *                       for a GPU worker included), summed over seeds; the device is the worker's, which the
     *                       experiment does not record
     */
    public record Cost(long steps, double trainingHours) {}

    /** One seed: its state, and when it completed, its own numbers per column and language. */
    public record SeedRow(long seed, String state, String error, String outputManifest, String evaluationId,
            Map<String, Double> headline, Map<String, Double> perLanguage, Double finalTrainLoss, Duration training) {}

    /**
     * @param scores      evaluation id -> its scores, for the seeds that completed
     * @param parameters  arm -> trainable parameters (null or absent when not known)
     */
    static ExperimentComparison of(ExperimentCatalog.ExperimentRow experiment, List<ExperimentCatalog.ArmSeedRow> rows,
            Map<String, List<Score>> scores, Map<String, Long> parameters) {
        List<TaskKind> kinds = ORDER.stream().filter(k -> experiment.request().evaluation().kinds().contains(k)).toList();
        List<ArmRow> arms = new ArrayList<>();
        for (ExperimentArm arm : experiment.request().arms()) {
            List<SeedRow> seeds = new ArrayList<>();
            Map<String, List<Double>> headline = new LinkedHashMap<>();
            Map<String, List<Double>> perLanguage = new TreeMap<>();
            long steps = 0;
            Duration hours = Duration.ZERO;
            for (ExperimentCatalog.ArmSeedRow row : rows) {
                if (!row.arm().equals(arm.name())) continue;
                Map<String, Double> seedHeadline = new LinkedHashMap<>();
                Map<String, Double> seedLanguages = new TreeMap<>();
                if (row.state().equals("COMPLETED") && scores.containsKey(row.evaluationId())) {
                    for (TaskKind k : kinds) {
                        List<Score> cells = scores.get(row.evaluationId()).stream()
                                .filter(s -> s.kind() == k && !s.routing().startsWith("forced:")).toList();
                        if (cells.isEmpty()) continue;
                        seedHeadline.put(COLUMNS.get(k), cells.stream().mapToDouble(Score::passAt1).average().orElseThrow());
                        Map<String, List<Double>> byLanguage = new TreeMap<>();
                        cells.forEach(c -> byLanguage.computeIfAbsent(COLUMNS.get(k) + "/" + c.language().id(),
                                x -> new ArrayList<>()).add(c.passAt1()));
                        byLanguage.forEach((l, v) -> seedLanguages.put(l, v.stream().mapToDouble(d -> d).average().orElseThrow()));
                    }
                    seedHeadline.forEach((c, v) -> headline.computeIfAbsent(c, x -> new ArrayList<>()).add(v));
                    seedLanguages.forEach((c, v) -> perLanguage.computeIfAbsent(c, x -> new ArrayList<>()).add(v));
                }
                Duration trained = row.trainingStartedAt() != null && row.registeredAt() != null
                        ? Duration.between(row.trainingStartedAt(), row.registeredAt()) : null;
                if (row.training() != null) steps += row.training().steps();
                if (trained != null) hours = hours.plus(trained);
                Double loss = row.training() == null || !Double.isFinite(row.training().finalTrainLoss()) ? null
                        : row.training().finalTrainLoss();
                seeds.add(new SeedRow(row.seed(), row.state(), row.error(), row.outputManifest(), row.evaluationId(),
                        seedHeadline, seedLanguages, loss, trained));
            }
            Map<String, Cell> h = new LinkedHashMap<>();
            headline.forEach((c, v) -> h.put(c, Cell.of(v)));
            Map<String, Cell> l = new TreeMap<>();
            perLanguage.forEach((c, v) -> l.put(c, Cell.of(v)));
            arms.add(new ArmRow(arm.name(), arm.method().name(), arm.variant(), arm.init(), h, l, parameters.get(arm.name()),
                    new Cost(steps, hours.toMillis() / 3_600_000.0), seeds));
        }
        List<String> columns = kinds.stream().map(COLUMNS::get).toList();
        for (String column : columns) {
            markBest(arms, column);
        }
        return new ExperimentComparison(experiment.experimentId(), experiment.name(), experiment.status(), columns, arms);
    }

    /** Every arm whose mean equals the column's highest is marked (ties share it). */
    private static void markBest(List<ArmRow> arms, String column) {
        double best = arms.stream().map(a -> a.headline().get(column)).filter(c -> c != null)
                .mapToDouble(Cell::mean).max().orElse(Double.NaN);
        for (ArmRow a : arms) {
            Cell c = a.headline().get(column);
            if (c != null && c.mean() == best) a.headline().put(column, c.marked());
        }
    }
}
