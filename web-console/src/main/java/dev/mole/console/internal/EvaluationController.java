package dev.mole.console.internal;

import dev.mole.contracts.storage.ObjectRef;
import dev.mole.orchestrator.EvaluationService;
import dev.mole.orchestrator.evaluation.EvaluationCatalog.EvaluationRow;
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

/** Starting HumanEvalPack evaluations, their scores, and every sample behind a score. */
@RestController
@RequestMapping(path = "/api/evaluations", produces = MediaType.APPLICATION_JSON_VALUE)
public class EvaluationController {
    private final EvaluationService evaluations;
    private final EvaluationViews views;
    private final EvaluationSamples samples;

    public EvaluationController(EvaluationService evaluations, EvaluationViews views, EvaluationSamples samples) {
        this.evaluations = evaluations;
        this.views = views;
        this.samples = samples;
    }

    /**
     * JSON only, like the other starts. The service checks the models in the object store before it starts anything;
     * what it refuses is answered naming the field. Starting an evaluation that exists (same model, same settings)
     * answers its id.
     */
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    public Map<String, String> start(@RequestBody EvaluationForm form) {
        if (form == null) {
            throw ApiException.badRequest("the body must be a JSON object with at least base (or oracle)");
        }
        var request = form.toRequest();
        try {
            return Map.of("evaluationId", evaluations.start(request));
        } catch (IllegalArgumentException e) {
            throw EvaluationForm.refusal(e);
        }
    }

    /** Newest first; {@code adapters} (a manifest's s3:// URI) keeps one model's evaluations. */
    @GetMapping
    public List<EvaluationRunView> recent(@RequestParam(defaultValue = "20") int limit,
            @RequestParam(required = false) String adapters) {
        return views.recent(ListLimits.checked(limit), adapters == null || adapters.isBlank() ? null : adapters.trim());
    }

    @GetMapping("/{evaluationId}")
    public EvaluationDetailView one(@PathVariable String evaluationId) {
        return views.find(evaluationId).orElseThrow(() -> unknown(evaluationId));
    }

    @GetMapping("/{evaluationId}/samples")
    public EvaluationSamples.SamplePage samples(@PathVariable String evaluationId,
            @RequestParam(required = false) String kind, @RequestParam(required = false) String language,
            @RequestParam(required = false) String source, @RequestParam(required = false) String routing,
            @RequestParam(required = false) String verdict, @RequestParam(defaultValue = "0") int offset,
            @RequestParam(defaultValue = "50") int limit) {
        EvaluationSamples.Filter filter = EvaluationSamples.Filter.parse(kind, language, source, routing, verdict);
        if (offset < 0) {
            throw ApiException.badRequest("offset must be at least 0; got " + offset);
        }
        if (limit < 1 || limit > EvaluationSamples.MAX_PAGE) {
            throw ApiException.badRequest("limit must be between 1 and " + EvaluationSamples.MAX_PAGE + "; got " + limit);
        }
        return samples.page(evaluationId, samplesOf(evaluationId), filter, offset, limit);
    }

    /** Sample ids hold slashes ({@code SYNTHESIS/auto/Python/12/0}): the rest of the path is the id. */
    @GetMapping("/{evaluationId}/samples/{*sampleId}")
    public EvaluationSamples.SampleView sample(@PathVariable String evaluationId, @PathVariable String sampleId) {
        String id = sampleId.startsWith("/") ? sampleId.substring(1) : sampleId;
        if (id.isEmpty()) {
            throw ApiException.notFound("give a sample id after " + evaluationId + "/samples/");
        }
        return samples.one(samplesOf(evaluationId), id)
                .orElseThrow(() -> ApiException.notFound("no sample " + id + " in evaluation " + evaluationId));
    }

    private ObjectRef samplesOf(String evaluationId) {
        EvaluationRow row = views.row(evaluationId).orElseThrow(() -> unknown(evaluationId));
        if (!"COMPLETED".equals(row.status()) || row.samples() == null) {
            throw ApiException.notFound("evaluation " + evaluationId + " has no samples: it is " + row.status()
                    + " (samples exist once it completed)");
        }
        return ObjectRef.parse(row.samples());
    }

    private static ApiException unknown(String evaluationId) {
        return ApiException.notFound("no evaluation " + evaluationId);
    }
}
