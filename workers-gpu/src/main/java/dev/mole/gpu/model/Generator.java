package dev.mole.gpu.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;

/**
 * Greedy decoding with a KV cache (or full recomputation, for comparison), streaming each token to a listener, stopping at
 * eos or the token limit. Each generated token is fed back with the route the {@link RoutePolicy} gives it.
 */
public final class Generator {

    /** Receives each generated token as soon as it is chosen. */
    @FunctionalInterface
    public interface TokenListener {
        /** @param textDelta the newly decodable text (may be empty mid-way through a multi-byte character) */
        void onToken(int tokenId, String textDelta, int route);
    }

    public enum StopReason { EOS, MAX_TOKENS }

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
        int[] routes = policy instanceof RoutePolicy.Forced f ? Route.fill(promptIds.length, f.route()) : promptRoutes.clone();
        int[] seq = Arrays.copyOf(promptIds, promptIds.length + maxNewTokens);
        int[] seqRoutes = Arrays.copyOf(routes, promptIds.length + maxNewTokens);
        int len = promptIds.length;
        FenceRouter fences = new FenceRouter();
        int[] out = new int[maxNewTokens];
        int[] outRoutes = new int[maxNewTokens];
        String decoded = "";
        StopReason stop = StopReason.MAX_TOKENS;
        int produced = 0;
        try (KvCache cache = useCache ? model.newCache() : null) {
            float[] logits = logitsOf(Arrays.copyOf(seq, len), Arrays.copyOf(seqRoutes, len), cache);
            while (produced < maxNewTokens) {
                int next = argmax(logits);
                if (next == stopToken) {
                    stop = StopReason.EOS;
                    break;
                }
                out[produced] = next;
                String now = model.tokenizer().decode(toLong(out, produced + 1), false);
                String delta = now.startsWith(decoded) ? now.substring(decoded.length()) : now;
                decoded = now;
                int route = switch (policy) {
                    case RoutePolicy.Automated a -> fences.next(delta);
                    case RoutePolicy.Manual m -> Route.code(m.language());
                    case RoutePolicy.Forced f -> f.route();
                };
                outRoutes[produced] = route;
                produced++;
                listener.onToken(next, delta, route);
                seq[len] = next;
                seqRoutes[len] = route;
                len++;
                if (produced == maxNewTokens) break;
                logits = cache != null ? logitsOf(new int[] {next}, new int[] {route}, cache)
                        : logitsOf(Arrays.copyOf(seq, len), Arrays.copyOf(seqRoutes, len), null);
            }
        }
        return new Result(Arrays.copyOf(out, produced), Arrays.copyOf(outRoutes, produced), decoded, stop);
    }

    private float[] logitsOf(int[] ids, int[] routes, KvCache cache) {
        try (NDManager step = model.manager().newSubManager()) {
            NDArray logits = model.forward(step, ids, routes, cache);
            return logits.get(ids.length - 1).toFloatArray();
        }
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
        return best;
    }

    private static long[] toLong(int[] a, int n) {
        long[] l = new long[n];
        for (int i = 0; i < n; i++) l[i] = a[i];
        return l;
    }
}
