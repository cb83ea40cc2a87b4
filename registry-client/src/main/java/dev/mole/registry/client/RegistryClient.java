package dev.mole.registry.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;

/**
 * A downstream app's door to the registry's REST API v1 (docs/architecture.md, "Registry"): resolve an alias, fetch a
 * download plan for some languages, and pull exactly those files into a {@link ContentCache}, verified.
 *
 * <pre>{@code
 * RegistryClient client = new RegistryClient(URI.create("http://127.0.0.1:8080"), token, new ContentCache(cacheDir));
 * Path folder = client.download("coder", client.resolve("coder", "production"), List.of("python", "rust"), dir);
 * }</pre>
 */
public final class RegistryClient {
    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final URI base;
    private final String token;
    private final ContentCache cache;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    /** @param token a bearer token, or null where the registry lets reads through without one */
    public RegistryClient(URI base, String token, ContentCache cache) {
        this.base = base;
        this.token = token;
        this.cache = cache;
    }

    /** The version number an alias points at now. */
    public int resolve(String model, String alias) {
        return get("/api/v1/models/" + enc(model) + "/aliases/" + enc(alias)).get("number").asInt();
    }

    public DownloadPlan plan(String model, int version, Collection<String> languages) {
        String q = languages == null || languages.isEmpty() ? "" : "?languages=" + enc(String.join(",", languages));
        try {
            return JSON.treeToValue(get("/api/v1/models/" + enc(model) + "/versions/" + version + "/download" + q), DownloadPlan.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every file of the plan in the cache, verified; returns the cached path of each, in the plan's order. */
    public java.util.List<Path> fetch(DownloadPlan plan) {
        return plan.items().stream().map(i -> cache.get(i.sha256(), i.size(), i.name(), () -> open(i.url()))).toList();
    }

    /**
     * Pulls a version for {@code languages} and lays it out as a folder a loader reads: {@code manifest.json} and each
     * planned file under its name in the version (hard links into the cache where the file system allows, else copies).
     */
    public Path download(String model, int version, Collection<String> languages, Path folder) {
        DownloadPlan plan = plan(model, version, languages);
        java.util.List<Path> cached = fetch(plan);
        try {
            Files.createDirectories(folder);
            for (int i = 0; i < cached.size(); i++) {
                Path to = folder.resolve(plan.items().get(i).name());
                Files.createDirectories(to.getParent());
                Files.deleteIfExists(to);
                try {
                    Files.createLink(to, cached.get(i));
                } catch (IOException | UnsupportedOperationException e) {
                    Files.copy(cached.get(i), to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lay out " + model + " v" + version + " in " + folder + ": " + e.getMessage(), e);
        }
    }

    private JsonNode get(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60)).GET();
        if (token != null) b.header("Authorization", "Bearer " + token);
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                String message = Optional.ofNullable(tryJson(r.body())).map(j -> j.path("error").asText(null)).orElse(r.body());
                throw new RegistryClientException(r.statusCode(), "registry answered " + r.statusCode() + " to GET " + path + ": " + message);
            }
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach the registry at " + base + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private InputStream open(String url) throws IOException {
        try {
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() != 200) {
                r.body().close();
                throw new RegistryClientException(r.statusCode(), "the object store answered " + r.statusCode()
                        + " (a presigned URL may have expired: ask for a new plan)");
            }
            return r.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static JsonNode tryJson(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
