package dev.mole.gpu.model;

import java.util.Objects;

/**
 * One sequence for {@link BatchGenerator}.
 *
 * @param promptIds the prompt's token ids (e.g. {@link RecordTokenizer#prompt} plus any response prefix), not empty
 * @param promptRoutes one route per prompt token; may be null under {@link RoutePolicy.Forced}, which routes the prompt too
 * @param responsePrefix the response text the prompt already ends with (e.g. an opening fence and a signature), so
 *        automated routing starts inside that code block; "" when there is none
 * @param maxNewTokens at least 1
 * @param stop may be null (never stops early)
 * @param sampling may be null (greedy)
 */
public record GenerationRequest(String id, int[] promptIds, int[] promptRoutes, RoutePolicy policy, String responsePrefix,
                                int maxNewTokens, StopRule stop, Sampling sampling) {

    public GenerationRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(policy, "policy of request " + id);
        if (promptIds == null || promptIds.length == 0) throw new IllegalArgumentException("request " + id + ": empty prompt");
        if (promptRoutes == null && !(policy instanceof RoutePolicy.Forced)) {
            throw new IllegalArgumentException("request " + id + ": prompt routes are needed unless the policy is forced");
        }
        if (promptRoutes != null && promptRoutes.length != promptIds.length) {
            throw new IllegalArgumentException("request " + id + ": " + promptRoutes.length + " prompt routes for "
                    + promptIds.length + " prompt tokens");
        }
        if (maxNewTokens < 1) throw new IllegalArgumentException("request " + id + ": maxNewTokens must be >= 1, got " + maxNewTokens);
        promptIds = promptIds.clone();
        promptRoutes = promptRoutes == null ? null : promptRoutes.clone();
        responsePrefix = responsePrefix == null ? "" : responsePrefix;
        stop = stop == null ? StopRule.NEVER : stop;
        sampling = sampling == null ? Sampling.greedy() : sampling;
    }

    /** A greedy request. */
    public GenerationRequest(String id, int[] promptIds, int[] promptRoutes, RoutePolicy policy, String responsePrefix,
                             int maxNewTokens, StopRule stop) {
        this(id, promptIds, promptRoutes, policy, responsePrefix, maxNewTokens, stop, null);
    }

    public GenerationRequest withSampling(Sampling s) {
        return new GenerationRequest(id, promptIds, promptRoutes, policy, responsePrefix, maxNewTokens, stop, s);
    }

    /** The routes the prompt runs with: the forced route everywhere under {@link RoutePolicy.Forced}, else as given. */
    int[] effectivePromptRoutes() {
        return policy instanceof RoutePolicy.Forced f ? Route.fill(promptIds.length, f.route()) : promptRoutes.clone();
    }
}
