package dev.mole.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mole.contracts.config.PlatformSettings;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.orchestrator.LocalPlatform;
import dev.mole.registry.AdapterRegistry;
import dev.mole.registry.TokenScope;
import dev.mole.registry.TrainedOutputs;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry's REST API v1 on a real embedded platform: auth answers (401/403 bodies), registration, immutability
 * (409), ETags, aliases, download plans and the OpenAPI document. A second console on the same platform asks reads for a
 * token too.
 */
@Tag("stack")
class RegistryApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path home;
    static LocalPlatform local;
    static ConsoleServer open, closed;
    static AdapterRegistry registry;
    static TrainedOutputs outputs;
    static String readToken, writeToken, adminToken;
    static ObjectRef base;
    static String baseSha;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    record Answer(int status, JsonNode json, HttpResponse<String> raw) {}

    @BeforeAll
    static void start() {
        local = LocalPlatform.start(PlatformSettings.from(Map.of(), k -> null).withHome(home.resolve("mole")).withPorts(0, 0, 0, 0));
        open = ConsoleServer.start(local.platform(), "127.0.0.1", 0, false);
        closed = ConsoleServer.start(local.platform(), "127.0.0.1", 0, true);
        registry = AdapterRegistry.open(local.platform().dataSource(), local.platform().blobStore(), local.platform().bucket());
        readToken = registry.createToken("reader", TokenScope.READ);
        writeToken = registry.createToken("ci", TokenScope.WRITE);
        adminToken = registry.createToken("admin", TokenScope.ADMIN);
        outputs = new TrainedOutputs(local.platform().blobStore());
        base = outputs.base("api-base", 1);
        baseSha = outputs.baseSha(base);
    }

    @AfterAll
    static void stop() {
        registry.close();
        closed.close();
        open.close();
        local.close();
    }

    static Answer call(ConsoleServer s, String method, String path, String token, Object body, String... headers) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.url() + path));
            if (token != null) b.header("Authorization", "Bearer " + token);
            for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
            if (body != null) b.header("Content-Type", "application/json");
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = r.body().isEmpty() ? null : JSON.readTree(r.body());
            return new Answer(r.statusCode(), json, r);
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void writesWithoutAValidTokenOfWriteScopeAreRefusedWithClearBodies() {
        Map<String, String> form = Map.of("name", "nope", "base", base.uri());
        Answer missing = call(open, "POST", "/api/v1/models", null, form);
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.raw().headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(missing.json().get("error").asText()).contains("needs a bearer token").contains("Authorization: Bearer");
        assertThat(missing.json().get("status").asInt()).isEqualTo(401);
        assertThat(missing.json().get("path").asText()).isEqualTo("/api/v1/models");

        Answer wrong = call(open, "POST", "/api/v1/models", "mole_not-a-token", form);
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().get("error").asText()).isEqualTo("the bearer token is not valid (unknown or revoked)");

        Answer basic = call(open, "POST", "/api/v1/models", null, form, "Authorization", "Basic Zm9vOmJhcg==");
        assertThat(basic.status()).isEqualTo(401);
        assertThat(basic.json().get("error").asText()).contains("must be 'Bearer <token>'");

        Answer reader = call(open, "POST", "/api/v1/models", readToken, form);
        assertThat(reader.status()).isEqualTo(403);
        assertThat(reader.json().get("error").asText()).isEqualTo("token 'reader' has scope read; POST /api/v1/models needs write");

        Answer tokenByWriter = call(open, "POST", "/api/v1/tokens", writeToken, Map.of("name", "x", "scope", "read"));
        assertThat(tokenByWriter.status()).isEqualTo(403);
        assertThat(tokenByWriter.json().get("error").asText()).contains("needs admin");
        Answer tokenByAdmin = call(open, "POST", "/api/v1/tokens", adminToken, Map.of("name", "notebook", "scope", "read"));
        assertThat(tokenByAdmin.status()).isEqualTo(201);
        assertThat(call(open, "GET", "/api/v1/models", tokenByAdmin.json().get("token").asText(), null).status()).isEqualTo(200);
        assertThat(registry.model("nope")).isEmpty();
    }

    @Test
    void readsNeedATokenOnlyWhereConfigured() {
        assertThat(call(open, "GET", "/api/v1/models", null, null).status()).isEqualTo(200);
        Answer refused = call(closed, "GET", "/api/v1/models", null, null);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().get("error").asText()).contains("reading the registry needs a bearer token");
        assertThat(call(closed, "GET", "/api/v1/models", readToken, null).status()).isEqualTo(200);
        assertThat(call(closed, "GET", "/api/v1/openapi.json", null, null).status()).as("the API's description is public").isEqualTo(200);
    }

    @Test
    void registersServesWithEtagsRefusesChangesAndPlansDownloads() {
        assertThat(call(open, "POST", "/api/v1/models", writeToken, Map.of("name", "api-coder", "base", base.uri(), "description", "d")).status())
                .isEqualTo(201);
        ObjectRef m1 = outputs.mole("api-run", new TrainedOutputs.Spec().seed(1).base(baseSha));
        ObjectRef m2 = outputs.mole("api-run", new TrainedOutputs.Spec().seed(2).base(baseSha));
        Answer first = call(open, "POST", "/api/v1/models/api-coder/versions", writeToken, Map.of("manifest", m1.uri(), "experimentId", "exp-9", "arm", "mole"));
        assertThat(first.status()).isEqualTo(201);
        assertThat(first.json().get("number").asInt()).isEqualTo(1);
        assertThat(first.json().at("/lineage/experimentId").asText()).isEqualTo("exp-9");
        Answer again = call(open, "POST", "/api/v1/models/api-coder/versions", writeToken, Map.of("manifest", m1.uri()));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("number").asInt()).isEqualTo(1);
        assertThat(call(open, "POST", "/api/v1/models/api-coder/versions", writeToken, Map.of("manifest", m2.uri())).json().get("number").asInt()).isEqualTo(2);

        Answer v1 = call(open, "GET", "/api/v1/models/api-coder/versions/1", null, null);
        String etag = v1.raw().headers().firstValue("ETag").orElseThrow();
        assertThat(call(open, "GET", "/api/v1/models/api-coder/versions/1", null, null, "If-None-Match", etag).status()).isEqualTo(304);

        Answer change = call(open, "PUT", "/api/v1/models/api-coder/versions/1", writeToken, Map.of("manifest", m2.uri()));
        assertThat(change.status()).isEqualTo(409);
        assertThat(change.json().get("error").asText()).contains("is immutable");
        assertThat(call(open, "PUT", "/api/v1/models/api-coder/versions/1", writeToken, Map.of("manifest", m1.uri())).status()).isEqualTo(200);
        assertThat(call(open, "DELETE", "/api/v1/models/api-coder/versions/1", writeToken, null).status()).isEqualTo(409);

        Answer moved = call(open, "PUT", "/api/v1/models/api-coder/aliases/production", writeToken, Map.of("version", 1));
        assertThat(moved.status()).isEqualTo(200);
        assertThat(moved.json().get("actor").asText()).isEqualTo("ci");
        String aliasedEtag = call(open, "GET", "/api/v1/models/api-coder/versions/1", null, null).raw().headers().firstValue("ETag").orElseThrow();
        assertThat(aliasedEtag).as("an alias now points at version 1: its answer changed").isNotEqualTo(etag);
        Answer stale = call(open, "PUT", "/api/v1/models/api-coder/aliases/production", writeToken, Map.of("version", 2, "expectedVersion", 2));
        assertThat(stale.status()).isEqualTo(409);
        call(open, "PUT", "/api/v1/models/api-coder/aliases/production", writeToken, Map.of("version", 2, "expectedVersion", 1));
        assertThat(call(open, "GET", "/api/v1/models/api-coder/aliases/production", null, null).json().get("number").asInt()).isEqualTo(2);
        assertThat(call(open, "GET", "/api/v1/models/api-coder/versions/1", null, null, "If-None-Match", aliasedEtag).status())
                .as("the alias moved away: version 1's answer changed again").isEqualTo(200);
        JsonNode history = call(open, "GET", "/api/v1/models/api-coder/aliases/production/history", null, null).json();
        assertThat(history).hasSize(2);
        assertThat(history.get(1).get("fromVersion").asInt()).isEqualTo(1);

        Answer plan = call(open, "GET", "/api/v1/models/api-coder/versions/2/download?languages=python,Rust", null, null);
        assertThat(plan.status()).isEqualTo(200);
        assertThat(plan.json().get("items")).extracting(i -> i.get("name").asText()).containsExactlyInAnyOrder("manifest.json",
                "adapter-shared.safetensors", "adapter-nl.safetensors", "adapter-expert_python.safetensors",
                "adapter-expert_rust.safetensors", "base-residual-factors.safetensors");
        assertThat(URI.create(plan.json().at("/items/0/url").asText()).getAuthority())
                .isEqualTo(URI.create(local.platform().endpoints().s3Endpoint()).getAuthority());
        Answer badLanguage = call(open, "GET", "/api/v1/models/api-coder/versions/2/download?languages=cobol", null, null);
        assertThat(badLanguage.status()).isEqualTo(400);

        Answer missing = call(open, "GET", "/api/v1/models/api-coder/versions/9", null, null);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("error").asText()).isEqualTo("model api-coder has no version 9");

        String otherBase = outputs.baseSha(outputs.base("api-other", 5));
        Answer refused = call(open, "POST", "/api/v1/models/api-coder/versions", writeToken,
                Map.of("manifest", outputs.mole("api-bad", new TrainedOutputs.Spec().seed(3).base(otherBase)).uri()));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("error").asText()).contains("the adapters were trained on base " + otherBase.substring(0, 12));
    }

    @Test
    void theJavaClientResolvesAnAliasAndPullsOnlyTheChosenExpertVerified(@TempDir Path dir) throws Exception {
        registry.createModel("client-coder", base, "", "t");
        ObjectRef m = outputs.mole("client-run", new TrainedOutputs.Spec().seed(5).base(baseSha));
        registry.register(new dev.mole.registry.Registration("client-coder", m, null, null, Map.of(), "t"));
        registry.moveAlias("client-coder", "production", 1, null, "t");
        var cache = new dev.mole.registry.client.ContentCache(dir.resolve("cache"));
        var client = new dev.mole.registry.client.RegistryClient(URI.create(closed.url()), readToken, cache);
        int version = client.resolve("client-coder", "production");
        Path folder = client.download("client-coder", version, java.util.List.of("python"), dir.resolve("coder"));
        try (var files = java.nio.file.Files.list(folder)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactlyInAnyOrder("manifest.json",
                    "adapter-shared.safetensors", "adapter-nl.safetensors", "adapter-expert_python.safetensors",
                    "base-residual-factors.safetensors");
        }
        assertThat(dev.mole.contracts.storage.BaseModelIdentity.sha256(java.nio.file.Files.readAllBytes(folder.resolve("manifest.json"))))
                .isEqualTo(registry.version("client-coder", 1).orElseThrow().manifestSha256());
        var noToken = new dev.mole.registry.client.RegistryClient(URI.create(closed.url()), null, cache);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> noToken.resolve("client-coder", "production"))
                .isInstanceOfSatisfying(dev.mole.registry.client.RegistryClientException.class, e -> assertThat(e.status()).isEqualTo(401))
                .hasMessageContaining("needs a bearer token");
    }

    @Test
    void servesItsOpenApiDocument() {
        Answer doc = call(open, "GET", "/api/v1/openapi.json", null, null);
        assertThat(doc.status()).isEqualTo(200);
        assertThat(doc.json().get("openapi").asText()).startsWith("3.");
        assertThat(doc.json().get("paths").has("/api/v1/models/{model}/versions/{number}/download")).isTrue();
        assertThat(doc.json().get("paths").has("/api/datasets")).as("only the versioned API").isFalse();
    }
}
