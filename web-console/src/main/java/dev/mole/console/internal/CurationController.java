package dev.mole.console.internal;

import dev.mole.contracts.curation.CurationRequest;
import dev.mole.orchestrator.CurationService;
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

/** Starting curations and following them. */
@RestController
@RequestMapping(path = "/api/curations", produces = MediaType.APPLICATION_JSON_VALUE)
public class CurationController {
    private final CurationService curations;
    private final RunViews runs;

    public CurationController(CurationService curations, RunViews runs) {
        this.curations = curations;
        this.runs = runs;
    }

    /** JSON only: a browser cannot send that cross-site without a CORS preflight, which this server never grants. */
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    public Map<String, String> start(@RequestBody CurationForm form) {
        if (form == null) {
            throw ApiException.badRequest("the body must be a JSON object with at least inputUri");
        }
        CurationRequest request = form.toRequest();
        return Map.of("runId", curations.start(request));
    }

    @GetMapping
    public List<RunView> recent(@RequestParam(defaultValue = "20") int limit) {
        return runs.recent(ListLimits.checked(limit));
    }

    @GetMapping("/{runId}")
    public RunView one(@PathVariable String runId) {
        return runs.find(runId).orElseThrow(() -> ApiException.notFound("no curation run " + runId));
    }
}
