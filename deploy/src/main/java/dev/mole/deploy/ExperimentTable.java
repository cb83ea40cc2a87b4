package dev.mole.deploy;

import dev.mole.orchestrator.experiment.ExperimentCatalog;
import dev.mole.orchestrator.experiment.ExperimentComparison;
import dev.mole.orchestrator.experiment.ExperimentComparison.ArmRow;
import dev.mole.orchestrator.experiment.ExperimentComparison.Cell;
import dev.mole.orchestrator.experiment.ExperimentComparisons;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/** The experiment views of the command line as plain text: status, Table II, and two experiments side by side. */
final class ExperimentTable {
    private ExperimentTable() {}

    static String status(ExperimentCatalog.ExperimentRow e, List<ExperimentCatalog.StageRow> stages,
            List<ExperimentCatalog.ArmSeedRow> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("Experiment ").append(e.experimentId()).append(e.name().isEmpty() ? "" : " (" + e.name() + ")")
                .append(": ").append(e.status()).append('\n');
        if (e.error() != null) sb.append("  ").append(e.error()).append('\n');
        for (var s : stages) {
            sb.append(String.format(Locale.ROOT, "  stage %-10s %-9s %s%n", s.stage(), s.state(), s.detail() == null ? "" : s.detail()));
        }
        for (var r : rows) {
            sb.append(String.format(Locale.ROOT, "  %-24s seed %-4d %-10s%s%n", r.arm(), r.seed(), r.state(),
                    r.error() == null ? "" : r.error()));
        }
        return sb.toString();
    }

    /** Table II: one row per arm, mean ± std over seeds, * on each column's best; per language and per seed below. */
    static String comparison(ExperimentComparison c) {
        StringBuilder sb = new StringBuilder();
        sb.append("Experiment ").append(c.experimentId()).append(c.name().isEmpty() ? "" : " (" + c.name() + ")")
                .append(": ").append(c.status()).append('\n');
        sb.append(String.format(Locale.ROOT, "%-24s %12s", "arm", "params"));
        for (String col : c.columns()) sb.append(String.format(Locale.ROOT, " %16s", col));
        sb.append(String.format(Locale.ROOT, " %7s %9s %6s%n", "steps", "train-h", "seeds"));
        for (ArmRow a : c.arms()) {
            sb.append(String.format(Locale.ROOT, "%-24s %12s", a.arm(), a.parameters() == null ? "-" : compact(a.parameters())));
            for (String col : c.columns()) sb.append(String.format(Locale.ROOT, " %16s", cell(a.headline().get(col))));
            long done = a.seeds().stream().filter(s -> s.state().equals("COMPLETED")).count();
            sb.append(String.format(Locale.ROOT, " %7d %9.3f %6s%n", a.cost().steps(), a.cost().trainingHours(),
                    done + "/" + a.seeds().size()));
        }
        TreeSet<String> languages = new TreeSet<>();
        c.arms().forEach(a -> languages.addAll(a.perLanguage().keySet()));
        if (!languages.isEmpty()) {
            sb.append("\nPer language (Pass@1, mean ± std over seeds)\n");
            sb.append(String.format(Locale.ROOT, "%-24s", "arm"));
            for (String l : languages) sb.append(String.format(Locale.ROOT, " %22s", l));
            sb.append('\n');
            for (ArmRow a : c.arms()) {
                sb.append(String.format(Locale.ROOT, "%-24s", a.arm()));
                for (String l : languages) sb.append(String.format(Locale.ROOT, " %22s", cell(a.perLanguage().get(l))));
                sb.append('\n');
            }
        }
        sb.append("\nSeeds\n");
        for (ArmRow a : c.arms()) {
            for (var s : a.seeds()) {
                sb.append(String.format(Locale.ROOT, "%-24s seed %-4d %-10s", a.arm(), s.seed(), s.state()));
                s.headline().forEach((col, v) -> sb.append(String.format(Locale.ROOT, " %s=%.3f", col, v)));
                if (s.error() != null) sb.append(' ').append(s.error());
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    static String sideBySide(ExperimentComparisons.SideBySide s) {
        StringBuilder sb = new StringBuilder(comparison(s.left())).append('\n').append(comparison(s.right()));
        sb.append("\nSettings that differ (left -> right)\n");
        if (s.settings().isEmpty()) sb.append("  none\n");
        for (var d : s.settings()) {
            sb.append("  ").append(d.setting()).append(": ").append(d.left() == null ? "(none)" : d.left()).append(" -> ")
                    .append(d.right() == null ? "(none)" : d.right()).append('\n');
        }
        return sb.toString();
    }

    private static String cell(Cell c) {
        if (c == null) return "-";
        return String.format(Locale.ROOT, "%.3f±%.3f%s", c.mean(), c.std(), c.best() ? "*" : " ");
    }

    private static String compact(long n) {
        if (n >= 1_000_000) return String.format(Locale.ROOT, "%.2fM", n / 1e6);
        if (n >= 1_000) return String.format(Locale.ROOT, "%.1fk", n / 1e3);
        return Long.toString(n);
    }
}
