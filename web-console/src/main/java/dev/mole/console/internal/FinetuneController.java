package dev.mole.console.internal;

import dev.mole.contracts.training.FinetuneRequest;
import dev.mole.contracts.training.TrainingHyperParameters;
import dev.mole.orchestrator.FinetuneService;
import dev.mole.orchestrator.finetune.FinetuneOrder;
import dev.mole.orchestrator.finetune.FinetuneOrders;
import java.util.List;
import java.util.Map;
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

/** Starting multi-seed finetuning runs and following them: live per-seed progress, curves, summaries. */
@RestController
@RequestMapping(path = "/api/finetunes", produces = MediaType.APPLICATION_JSON_VALUE)
public class FinetuneController {
    private final FinetuneService finetunes;
    private final FinetuneOrders orders;
    private final FinetuneViews runs;

    public FinetuneController(FinetuneService finetunes, FinetuneOrders orders, FinetuneViews runs) {
        this.finetunes = finetunes;
        this.orders = orders;
        this.runs = runs;
    }

    /** JSON only, like {@code POST /api/curations}: no cross-site form can send it without a refused CORS preflight. */
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    public Map<String, String> start(@RequestBody FinetuneOrder order) {
        if (order == null) {
            throw ApiException.badRequest("the body must be a JSON object with at least dataset and baseCheckpoint");
        }
        FinetuneRequest request;
        try {
            request = orders.resolve(order);
        } catch (FinetuneOrders.UnknownDatasetException e) {
            throw ApiException.notFound(e.getMessage());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        return Map.of("runId", finetunes.start(request));
    }

    @GetMapping
    public List<FinetuneRunView> recent(@RequestParam(defaultValue = "20") int limit) {
        return runs.recent(ListLimits.checked(limit));
    }

    /** What a field left empty gets: the paper's settings. The form shows them, so it need not know them itself. */
    @GetMapping("/defaults")
    public TrainingHyperParameters defaults() {
        return TrainingHyperParameters.paper();
    }

    @GetMapping("/{runId}")
    public FinetuneDetailView one(@PathVariable String runId) {
        return runs.find(runId).orElseThrow(() -> ApiException.notFound("no finetune run " + runId));
    }
}
