package dev.mole.orchestrator.evaluation;

import dev.mole.contracts.evaluation.SampleRecord;
import dev.mole.contracts.evaluation.Score;
import dev.mole.contracts.language.Language;
import dev.mole.evaluation.PassAtK;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Scores of graded samples per cell (kind, language, source, routing): Pass@1 is the mean over tasks of the unbiased
 * estimate from each task's n samples (with greedy decoding n = 1, so it is the share of tasks solved); pass@10 and
 * pass@100 appear where every task of the cell has at least that many samples.
 */
final class Scores {
    private Scores() {}

    private record Cell(dev.mole.contracts.evaluation.TaskKind kind, Language language, Language source, String routing) {}

    static List<Score> of(List<SampleRecord> samples) {
        Map<Cell, Map<String, int[]>> cells = new LinkedHashMap<>(); // cell -> task -> {n, correct}
        for (SampleRecord s : samples) {
            if (!s.kind().graded()) continue;
            int[] c = cells.computeIfAbsent(new Cell(s.kind(), s.language(), s.source(), s.routing()), k -> new TreeMap<>())
                    .computeIfAbsent(s.taskId(), k -> new int[2]);
            c[0]++;
            if (s.passed()) c[1]++;
        }
        List<Score> out = new ArrayList<>();
        cells.forEach((cell, tasks) -> {
            List<PassAtK.Counts> counts = tasks.values().stream().map(c -> new PassAtK.Counts(c[0], c[1])).toList();
            int passed = tasks.values().stream().mapToInt(c -> c[1]).sum();
            int total = tasks.values().stream().mapToInt(c -> c[0]).sum();
            int minN = tasks.values().stream().mapToInt(c -> c[0]).min().orElse(0);
            Map<Integer, Double> atK = new TreeMap<>();
            for (int k : new int[] {1, 10, 100}) if (minN >= k) atK.put(k, PassAtK.mean(k, counts));
            out.add(new Score(cell.kind(), cell.language(), cell.source(), cell.routing(), passed, total,
                    PassAtK.mean(1, counts), atK));
        });
        return out;
    }
}
