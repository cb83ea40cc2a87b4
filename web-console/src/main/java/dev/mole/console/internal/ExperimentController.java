package dev.mole.console.internal;

import dev.mole.orchestrator.ExperimentService;
import dev.mole.orchestrator.experiment.ExperimentCatalog;
import dev.mole.orchestrator.experiment.ExperimentComparison;
import dev.mole.orchestrator.experiment.ExperimentComparisons;
import dev.mole.orchestrator.finetune.FinetuneOrders;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Experiments: start, list, one with its stages, arm/seed rows and comparison, two side by side, cancel, retry. */
@RestController
@RequestMapping(path = "/api/experiments", produces = MediaType.APPLICATION_JSON_VALUE)
public class ExperimentController {
    private final ExperimentService experiments;
    private final ExperimentComparisons comparisons;
    private final FinetuneOrders datasets;

    public ExperimentController(ExperimentService experiments, ExperimentComparisons comparisons, FinetuneOrders datasets) {
        this.experiments = experiments;
        this.comparisons = comparisons;
        this.datasets = datasets;
    }

    /** The preflight runs before anything starts; the same request answers the same id (and joins or reuses it). */
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    public Map<String, String> start(@RequestBody ExperimentForm form) {
        if (form == null) throw ApiException.badRequest("the body must be a JSON object with base, dataset (or input) and arms");
        var request = form.toRequest(datasets);
        try {
            return Map.of("experimentId", experiments.start(request));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    @GetMapping
    public List<ExperimentCatalog.ExperimentRow> recent(@RequestParam(defaultValue = "20") int limit) {
        return experiments.catalog().list(ListLimits.checked(limit));
    }

    @GetMapping("/{experimentId}")
    public Map<String, Object> one(@PathVariable String experimentId) {
        ExperimentCatalog c = experiments.catalog();
        var row = c.find(experimentId).orElseThrow(() -> unknown(experimentId));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("experiment", row);
        out.put("stages", c.stages(experimentId));
        out.put("armSeeds", c.armSeeds(experimentId));
        out.put("comparison", comparisons.compare(experimentId).orElseThrow(() -> unknown(experimentId)));
        return out;
    }

    @GetMapping("/{experimentId}/comparison")
    public Object comparison(@PathVariable String experimentId, @RequestParam(required = false) String with) {
        if (with != null && !with.isBlank()) {
            return comparisons.sideBySide(experimentId, with.trim())
                    .orElseThrow(() -> ApiException.notFound("no experiment " + experimentId + " or " + with));
        }
        ExperimentComparison c = comparisons.compare(experimentId).orElseThrow(() -> unknown(experimentId));
        return c;
    }

    @PostMapping("/{experimentId}/cancel")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public Map<String, Object> cancel(@PathVariable String experimentId) {
        try {
            experiments.cancel(experimentId);
        } catch (NoSuchElementException e) {
            throw unknown(experimentId);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        return Map.of("experimentId", experimentId, "cancelRequested", true);
    }

    @PostMapping("/{experimentId}/retry")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public Map<String, Object> retry(@PathVariable String experimentId) {
        try {
            experiments.retry(experimentId);
        } catch (NoSuchElementException e) {
            throw unknown(experimentId);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        return Map.of("experimentId", experimentId, "retried", true);
    }

    private static ApiException unknown(String experimentId) {
        return ApiException.notFound("no experiment " + experimentId);
    }
}
