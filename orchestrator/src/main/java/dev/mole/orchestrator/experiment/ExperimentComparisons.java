package dev.mole.orchestrator.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mole.contracts.evaluation.Score;
import dev.mole.contracts.storage.BlobStore;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.orchestrator.evaluation.EvaluationCatalog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.sql.DataSource;

/** Builds comparisons from the catalog when asked (nothing is cached), and the settings diff of two experiments. */
public final class ExperimentComparisons {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ExperimentCatalog experiments;
    private final EvaluationCatalog evaluations;
    private final BlobStore store;

    public ExperimentComparisons(DataSource dataSource, BlobStore store) {
        this.experiments = new ExperimentCatalog(dataSource);
        this.evaluations = new EvaluationCatalog(dataSource);
        this.store = store;
    }

    public Optional<ExperimentComparison> compare(String experimentId) {
        return experiments.find(experimentId).map(e -> {
            List<ExperimentCatalog.ArmSeedRow> rows = experiments.armSeeds(experimentId);
            Map<String, List<Score>> scores = new HashMap<>();
            Map<String, Long> parameters = new HashMap<>();
            for (ExperimentCatalog.ArmSeedRow row : rows) {
                if (row.evaluationId() != null) {
                    evaluations.find(row.evaluationId()).ifPresent(ev -> scores.put(row.evaluationId(), ev.scores()));
                }
                if (row.outputManifest() != null && !parameters.containsKey(row.arm())) {
                    TrainableParameters.of(store, ObjectRef.parse(row.outputManifest()), e.request().baseCheckpoint())
                            .ifPresent(p -> parameters.put(row.arm(), p));
                }
            }
            return ExperimentComparison.of(e, rows, scores, parameters);
        });
    }

    /** One setting that differs: its path in the request's JSON, and each side's value (null: absent). */
    public record Difference(String setting, String left, String right) {}

    /** Two experiments' comparisons side by side, and every setting of their requests that differs. */
    public record SideBySide(ExperimentComparison left, ExperimentComparison right, List<Difference> settings) {}

    public Optional<SideBySide> sideBySide(String left, String right) {
        var a = experiments.find(left);
        var b = experiments.find(right);
        if (a.isEmpty() || b.isEmpty()) return Optional.empty();
        return Optional.of(new SideBySide(compare(left).orElseThrow(), compare(right).orElseThrow(),
                diff(JSON.valueToTree(a.get().request()), JSON.valueToTree(b.get().request()))));
    }

    static List<Difference> diff(JsonNode left, JsonNode right) {
        Map<String, String> l = new TreeMap<>(), r = new TreeMap<>();
        flatten("", left, l);
        flatten("", right, r);
        TreeSet<String> keys = new TreeSet<>(l.keySet());
        keys.addAll(r.keySet());
        List<Difference> out = new ArrayList<>();
        for (String k : keys) {
            if (!Objects.equals(l.get(k), r.get(k))) out.add(new Difference(k, l.get(k), r.get(k)));
        }
        return out;
    }

    /** Arms are keyed by name, not position, so adding an arm shows as one arm added, not every later arm changed. */
    private static void flatten(String path, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> flatten(path.isEmpty() ? f.getKey() : path + "." + f.getKey(), f.getValue(), out));
        } else if (node.isArray() && path.equals("arms")) {
            node.forEach(arm -> flatten(path + "[" + arm.path("name").asText() + "]", arm, out));
        } else if (node.isArray()) {
            List<String> items = new ArrayList<>();
            node.forEach(n -> items.add(n.isValueNode() ? n.asText() : n.toString()));
            out.put(path, String.join(",", items));
        } else if (!node.isNull()) {
            out.put(path, node.asText());
        }
    }
}
