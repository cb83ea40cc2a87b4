package dev.mole.registry.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * The client's reading of the API's download plan ({@code GET /api/v1/models/{m}/versions/{n}/download}); the server's
 * definition is {@code dev.mole.registry.DownloadPlan}, which this module does not depend on so that a downstream app
 * pulls in no platform code. Kinds and languages are the server's names as strings.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DownloadPlan(String model, int version, String manifestSha256, String baseSha256, String baseLocation,
                           List<String> languages, List<Item> items) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Item(String name, String kind, String language, String sha256, long size, String url) {}
}
