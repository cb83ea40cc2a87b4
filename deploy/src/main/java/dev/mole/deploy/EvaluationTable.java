package dev.mole.deploy;

import dev.mole.contracts.evaluation.EvaluationSummary;
import dev.mole.contracts.evaluation.Score;
import dev.mole.contracts.evaluation.TaskKind;
import dev.mole.contracts.language.Language;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The Pass@1 tables of an evaluation as text: one row per task kind and routing, one column per language. */
final class EvaluationTable {
    private EvaluationTable() {}

    static String render(EvaluationSummary s) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Evaluation %s%s%n", s.evaluationId().substring(0, 16), s.reused() ? " (reused: identical earlier evaluation)" : ""));
        List<Language> langs = Language.humanEvalPack();
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-34s", "Pass@1 (%)"));
        for (Language l : langs) header.append(String.format(Locale.ROOT, "%11s", l.displayName()));
        header.append(String.format(Locale.ROOT, "%11s", "mean"));
        out.append(header).append('\n');
        Map<String, Map<Language, List<Score>>> rows = new TreeMap<>();
        for (Score sc : s.scores()) {
            String row = label(sc.kind()) + " " + sc.routing();
            rows.computeIfAbsent(row, k -> new TreeMap<>()).computeIfAbsent(sc.language(), k -> new ArrayList<>()).add(sc);
        }
        rows.forEach((row, byLang) -> {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-34s", row));
            double sum = 0;
            int n = 0;
            for (Language l : langs) {
                List<Score> cell = byLang.get(l);
                if (cell == null) {
                    line.append(String.format(Locale.ROOT, "%11s", "-"));
                    continue;
                }
                // translation: one score per source language; the column is their mean, as in the paper's table
                double v = cell.stream().mapToDouble(Score::passAt1).average().orElse(0);
                line.append(String.format(Locale.ROOT, "%11.2f", 100 * v));
                sum += v;
                n++;
            }
            line.append(String.format(Locale.ROOT, "%11.2f", n == 0 ? 0 : 100 * sum / n));
            out.append(line).append('\n');
        });
        for (String note : s.notes()) out.append("note: ").append(note).append('\n');
        out.append("Samples (prompt, generation, program, verdict): ").append(s.samples()).append('\n');
        return out.toString();
    }

    private static String label(TaskKind k) {
        return switch (k) {
            case SYNTHESIS -> "synthesis";
            case EXPLAIN_SYNTHESIS -> "explain (summarisation)";
            case TRANSLATION -> "translation (target)";
            case EXPLAIN_DESCRIBE -> "describe";
        };
    }
}
