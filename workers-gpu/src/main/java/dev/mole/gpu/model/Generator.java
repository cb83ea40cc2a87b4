package dev.mole.gpu.model;

/**
 * Decoding of one sequence with a KV cache (or full recomputation, for comparison), streaming each token to a listener,
 * stopping at the stop token, the token limit or the request's stop rule; greedy unless the request samples. Each
 * generated token is fed back with the route the {@link RoutePolicy} gives it. {@link BatchGenerator} decodes many
 * sequences together and gives the same results.
 */
public final class Generator {

    /** Receives each generated token as soon as it is chosen. */
    @FunctionalInterface
    public interface TokenListener {
        /**
         * @param textDelta the text this token made final: empty mid-way through a multi-byte character, which arrives
         *        with the token that completes it; the deltas add up to the result's text (except for an incomplete
         *        character left when the stop token ends the sequence, which only the text has, as U+FFFD)
         */
        void onToken(int tokenId, String textDelta, int route);
    }

    /** @param text the decoded tokens; an incomplete character at the end (stopped mid-way) decodes as U+FFFD */
    public record Result(int[] tokens, int[] routes, String text, StopReason stop) {}

    private final LlamaModel model;
    private final int stopToken;

    public Generator(LlamaModel model) {
        this(model, model.config().eosTokenId());
    }

    /** @param stopToken the token that ends generation (the config's eos unless a chat format says otherwise) */
    public Generator(LlamaModel model, int stopToken) {
        this.model = model;
        this.stopToken = stopToken;
    }

    /** Generates the response to a question in the training prompt template. */
    public Result answer(String question, RoutePolicy policy, int maxNewTokens, TokenListener listener) {
        TokenizedSample p = RecordTokenizer.forModel(model, Integer.MAX_VALUE).prompt(question);
        return generate(p.ids(), p.routes(), policy, maxNewTokens, true, listener);
    }

    /**
     * @param promptRoutes routes of the prompt tokens (ignored under {@link RoutePolicy.Forced})
     * @param useCache false recomputes the whole sequence for every token (the benchmark's baseline)
     */
    public Result generate(int[] promptIds, int[] promptRoutes, RoutePolicy policy, int maxNewTokens, boolean useCache,
                           TokenListener listener) {
        GenerationRequest request = new GenerationRequest("", promptIds, policy instanceof RoutePolicy.Forced ? null : promptRoutes,
                policy, "", maxNewTokens, StopRule.NEVER);
        Generation g = generate(request, useCache, listener);
        return new Result(g.tokens(), g.routes(), g.text(), g.stop());
    }

    /** One request alone, with everything a {@link BatchGenerator} request can say (response prefix, stop rule, sampling). */
    public Generation generate(GenerationRequest request, boolean useCache, TokenListener listener) {
        GenerationState state = new GenerationState(model, request, stopToken);
        try (KvCache cache = useCache ? model.newCache() : null) {
            float[] logits = model.nextLogits(request.promptIds(), request.effectivePromptRoutes(), cache);
            while (true) {
                GenerationState.Emitted e = state.next(logits);
                if (e == null) break;
                listener.onToken(e.token(), e.text(), e.route());
                if (state.finished()) break;
                if (cache != null) {
                    logits = model.nextLogits(new int[] {e.token()}, new int[] {e.route()}, cache);
                } else {
                    int[][] seq = state.sequence();
                    logits = model.nextLogits(seq[0], seq[1], null);
                }
            }
        }
        return state.generation();
    }
}
