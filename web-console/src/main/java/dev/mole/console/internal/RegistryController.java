package dev.mole.console.internal;

import dev.mole.contracts.language.Language;
import dev.mole.contracts.storage.BaseModelIdentity;
import dev.mole.contracts.storage.BlobStore;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.registry.AdapterRegistry;
import dev.mole.registry.AliasMove;
import dev.mole.registry.DownloadPlan;
import dev.mole.registry.ModelQuery;
import dev.mole.registry.ModelVersion;
import dev.mole.registry.Page;
import dev.mole.registry.RegisteredModel;
import dev.mole.registry.Registered;
import dev.mole.registry.Registration;
import dev.mole.registry.TokenScope;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The registry's versioned API for downstream apps (docs/architecture.md, "Registry"); its OpenAPI document is served at
 * {@code /api/v1/openapi.json}. Reads carry ETags and answer 304 to a matching {@code If-None-Match}.
 */
@RestController
@RequestMapping(path = "/api/v1", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "registry", description = "Registered MoLE models, immutable versions, aliases and download plans")
public class RegistryController {
    private final AdapterRegistry registry;
    private final BlobStore store;

    public RegistryController(AdapterRegistry registry, BlobStore store) {
        this.registry = registry;
        this.store = store;
    }

    public record ModelForm(String name, String base, String description) {}

    public record RegistrationForm(String manifest, String experimentId, String arm, Map<String, String> tags) {}

    public record AliasForm(Integer version, Integer expectedVersion) {}

    public record TagForm(String value) {}

    public record DeprecationForm(String reason) {}

    public record MetricsForm(String evaluationId, Map<String, Double> metrics) {}

    public record TokenForm(String name, String scope) {}

    public record TokenView(String name, String scope, String token) {}

    public record ModelDetail(RegisteredModel model, Map<String, Integer> aliases) {}

    @Operation(summary = "Search models by base, expert language and metric; page with nextPageToken")
    @GetMapping("/models")
    public Page<RegisteredModel> models(@RequestParam(required = false) String base, @RequestParam(required = false) String language,
                                        @RequestParam(required = false) String metric, @RequestParam(required = false) Double min,
                                        @RequestParam(required = false) String pageToken, @RequestParam(defaultValue = "50") int limit) {
        return registry.models(new ModelQuery(base, language == null ? null : language(language), metric, min, pageToken, limit));
    }

    @Operation(summary = "Create a model over a base checkpoint folder (write)")
    @PostMapping(path = "/models", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<RegisteredModel> createModel(@RequestBody ModelForm form, HttpServletRequest request) {
        if (form.name() == null || form.base() == null) throw ApiException.badRequest("name and base (an s3:// folder) are required");
        RegisteredModel m = registry.createModel(form.name(), ref(form.base(), "base"), form.description(), RegistryAuth.actor(request));
        return ResponseEntity.status(HttpStatus.CREATED).body(m);
    }

    @Operation(summary = "A model with its aliases")
    @GetMapping("/models/{model}")
    public ResponseEntity<ModelDetail> model(@PathVariable String model, @RequestHeader(value = "If-None-Match", required = false) String ifNoneMatch) {
        RegisteredModel m = registry.model(model).orElseThrow(() -> ApiException.notFound("no model " + model));
        ModelDetail d = new ModelDetail(m, registry.aliases(model));
        return cached(d, etag(d.toString()), ifNoneMatch);
    }

    @Operation(summary = "The model's versions in ascending number; page with nextPageToken")
    @GetMapping("/models/{model}/versions")
    public Page<ModelVersion> versions(@PathVariable String model, @RequestParam(required = false) String pageToken,
                                       @RequestParam(defaultValue = "50") int limit) {
        return registry.versions(model, pageToken, limit);
    }

    @Operation(summary = "Register a trained output (its manifest.json) as a version (write); identical content answers the existing version with 200")
    @PostMapping(path = "/models/{model}/versions", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<ModelVersion> register(@PathVariable String model, @RequestBody RegistrationForm form, HttpServletRequest request) {
        if (form.manifest() == null) throw ApiException.badRequest("manifest (the s3:// URI of a trained output's manifest.json) is required");
        Registered r = registry.register(new Registration(model, ref(form.manifest(), "manifest"), form.experimentId(), form.arm(),
                form.tags(), RegistryAuth.actor(request)));
        return ResponseEntity.status(r.created() ? HttpStatus.CREATED : HttpStatus.OK).eTag(r.version().etag()).body(r.version());
    }

    @Operation(summary = "A version by number")
    @GetMapping("/models/{model}/versions/{number}")
    public ResponseEntity<ModelVersion> version(@PathVariable String model, @PathVariable int number,
                                                @RequestHeader(value = "If-None-Match", required = false) String ifNoneMatch) {
        ModelVersion v = registry.version(model, number).orElseThrow(() -> ApiException.notFound("model " + model + " has no version " + number));
        return cached(v, v.etag(), ifNoneMatch);
    }

    @Operation(summary = "Versions are immutable: 409 unless the body names the very same content")
    @PutMapping(path = "/models/{model}/versions/{number}", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<ModelVersion> replace(@PathVariable String model, @PathVariable int number, @RequestBody RegistrationForm form) {
        ModelVersion v = registry.version(model, number).orElseThrow(() -> ApiException.notFound("model " + model + " has no version " + number));
        String sha = form.manifest() == null ? "" : BaseModelIdentity.sha256(manifestBytes(form.manifest()));
        if (!sha.equals(v.manifestSha256())) {
            throw ApiException.conflict("version " + number + " of " + model + " is immutable: register new content as a new version");
        }
        return ResponseEntity.ok().eTag(v.etag()).body(v);
    }

    @Operation(summary = "Versions are never deleted: 409 (deprecate instead)")
    @DeleteMapping("/models/{model}/versions/{number}")
    public void delete(@PathVariable String model, @PathVariable int number) {
        registry.version(model, number).orElseThrow(() -> ApiException.notFound("model " + model + " has no version " + number));
        throw ApiException.conflict("version " + number + " of " + model + " is immutable and is not deleted: deprecate it instead");
    }

    @Operation(summary = "The version an alias points at")
    @GetMapping("/models/{model}/aliases/{alias}")
    public ResponseEntity<ModelVersion> alias(@PathVariable String model, @PathVariable String alias,
                                              @RequestHeader(value = "If-None-Match", required = false) String ifNoneMatch) {
        ModelVersion v = registry.versionByAlias(model, alias).orElseThrow(() -> ApiException.notFound("model " + model + " has no alias " + alias));
        return cached(v, v.etag(), ifNoneMatch);
    }

    @Operation(summary = "Move (or create) an alias atomically (write); with expectedVersion only if it points there now (0: absent)")
    @PutMapping(path = "/models/{model}/aliases/{alias}", consumes = MediaType.APPLICATION_JSON_VALUE)
    public AliasMove moveAlias(@PathVariable String model, @PathVariable String alias, @RequestBody AliasForm form, HttpServletRequest request) {
        if (form.version() == null) throw ApiException.badRequest("version is required");
        return registry.moveAlias(model, alias, form.version(), form.expectedVersion(), RegistryAuth.actor(request));
    }

    @Operation(summary = "Every move of an alias, oldest first")
    @GetMapping("/models/{model}/aliases/{alias}/history")
    public List<AliasMove> aliasHistory(@PathVariable String model, @PathVariable String alias) {
        return registry.aliasHistory(model, alias);
    }

    @Operation(summary = "Set a tag (write)")
    @PutMapping(path = "/models/{model}/versions/{number}/tags/{key}", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ModelVersion tag(@PathVariable String model, @PathVariable int number, @PathVariable String key, @RequestBody TagForm form,
                            HttpServletRequest request) {
        return registry.setTag(model, number, key, form.value(), RegistryAuth.actor(request));
    }

    @Operation(summary = "Remove a tag (write)")
    @DeleteMapping("/models/{model}/versions/{number}/tags/{key}")
    public ModelVersion untag(@PathVariable String model, @PathVariable int number, @PathVariable String key, HttpServletRequest request) {
        return registry.removeTag(model, number, key, RegistryAuth.actor(request));
    }

    @Operation(summary = "Deprecate a version (write): it stays, flagged, and no alias can move to it")
    @PostMapping(path = "/models/{model}/versions/{number}/deprecation", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ModelVersion deprecate(@PathVariable String model, @PathVariable int number, @RequestBody DeprecationForm form,
                                  HttpServletRequest request) {
        return registry.deprecate(model, number, form.reason(), RegistryAuth.actor(request));
    }

    @Operation(summary = "Record an evaluation's metrics for a version (write)")
    @PostMapping(path = "/models/{model}/versions/{number}/metrics", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ModelVersion metrics(@PathVariable String model, @PathVariable int number, @RequestBody MetricsForm form) {
        if (form.evaluationId() == null || form.metrics() == null) throw ApiException.badRequest("evaluationId and metrics are required");
        return registry.recordMetrics(model, number, form.evaluationId(), form.metrics());
    }

    @Operation(summary = "Exactly the objects needed for a version and languages (comma-separated; none: all), with presigned URLs")
    @GetMapping("/models/{model}/versions/{number}/download")
    public DownloadPlan download(@PathVariable String model, @PathVariable int number, @RequestParam(required = false) String languages,
                                 @RequestParam(defaultValue = "3600") long ttlSeconds) {
        Set<Language> ls = EnumSet.noneOf(Language.class);
        if (languages != null && !languages.isBlank()) {
            Arrays.stream(languages.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(s -> ls.add(language(s)));
        }
        return registry.downloadPlan(model, number, ls, Duration.ofSeconds(ttlSeconds));
    }

    @Operation(summary = "Create a bearer token (admin); the token is shown only in this answer")
    @PostMapping(path = "/tokens", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<TokenView> token(@RequestBody TokenForm form) {
        TokenScope scope = TokenScope.parse(form.scope() == null ? "read" : form.scope());
        return ResponseEntity.status(HttpStatus.CREATED).body(new TokenView(form.name(), scope.name().toLowerCase(),
                registry.createToken(form.name(), scope)));
    }

    private byte[] manifestBytes(String uri) {
        return registryStoreRead(ref(uri, "manifest"));
    }

    private byte[] registryStoreRead(ObjectRef ref) {
        try {
            return store.read(ref);
        } catch (RuntimeException e) {
            throw ApiException.badRequest("cannot read " + ref + ": " + e.getMessage());
        }
    }

    private static <T> ResponseEntity<T> cached(T body, String etag, String ifNoneMatch) {
        String quoted = "\"" + etag + "\"";
        if (ifNoneMatch != null && (ifNoneMatch.equals(quoted) || ifNoneMatch.equals("*"))) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(quoted).build();
        }
        return ResponseEntity.ok().eTag(quoted).body(body);
    }

    private static String etag(String s) {
        return BaseModelIdentity.sha256(s.getBytes(StandardCharsets.UTF_8)).substring(0, 32);
    }

    private static ObjectRef ref(String uri, String field) {
        try {
            return ObjectRef.parse(uri);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(field + ": " + e.getMessage());
        }
    }

    private static Language language(String s) {
        try {
            return Language.parse(s);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }
}
