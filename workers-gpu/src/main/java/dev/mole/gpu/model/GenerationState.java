package dev.mole.gpu.model;

import java.util.Arrays;

/**
 * One sequence's side of generation, shared by {@link Generator} and {@link BatchGenerator} so that both pick, route,
 * detokenise and stop the same way; they differ only in how the logits are computed. Routes of generated tokens follow
 * the {@link RoutePolicy} (docs/mole-protocol.md section 5): automated routing labels each token's text like training does.
 */
final class GenerationState {

    /** A generated token as fed back to the model, with the text it made final. */
    record Emitted(int token, String text, int route) {}

    private final GenerationRequest request;
    private final int stopToken;
    private final FenceRouter fences;
    private final IncrementalDetokenizer detokenizer;
    private final TokenSampler sampler;
    private final int[] tokens;
    private final int[] routes;
    private final StringBuilder text = new StringBuilder();
    private int produced;
    private StopReason stop;
    private int cutAt;

    GenerationState(LlamaModel model, GenerationRequest request, int stopToken) {
        this.request = request;
        this.stopToken = stopToken;
        this.fences = request.policy() instanceof RoutePolicy.Automated ? new FenceRouter(request.responsePrefix()) : null;
        this.detokenizer = new IncrementalDetokenizer(model.tokenizer());
        this.sampler = new TokenSampler(request.sampling());
        this.tokens = new int[request.maxNewTokens()];
        this.routes = new int[request.maxNewTokens()];
    }

    /**
     * Takes the logits of the next position. Returns the chosen token, or null when it is the stop token (which is not
     * part of the output). The token that ends the sequence by its stop rule or the token limit is returned (with any text
     * still held back) and {@link #finished()} turns true.
     */
    Emitted next(float[] logits) {
        if (finished()) throw new IllegalStateException("request " + request.id() + " already finished (" + stop + ")");
        return take(sampler.next(logits));
    }

    /** Whether the next token is the logits' argmax (lowest index on ties), so it may be picked where the logits are. */
    boolean greedy() {
        return request.sampling().isGreedy();
    }

    /** {@link #next} for a greedy request whose argmax was taken on the tensor side, sparing the logits' copy. */
    Emitted nextGreedy(int argmax) {
        if (!greedy()) throw new IllegalStateException("request " + request.id() + " samples: it needs its logits");
        if (finished()) throw new IllegalStateException("request " + request.id() + " already finished (" + stop + ")");
        return take(argmax);
    }

    private Emitted take(int token) {
        if (token == stopToken) {
            finish(StopReason.EOS, -1);
            return null;
        }
        String delta = detokenizer.push(token);
        int route = switch (request.policy()) {
            case RoutePolicy.Automated a -> fences.next(delta);
            case RoutePolicy.Manual m -> Route.code(m.language());
            case RoutePolicy.Forced f -> f.route();
        };
        tokens[produced] = token;
        routes[produced] = route;
        produced++;
        text.append(delta);
        int cut = delta.isEmpty() ? -1 : request.stop().cut(text.toString());
        if (cut < -1 || cut > text.length()) {
            throw new IllegalStateException("stop rule of request " + request.id() + " cut at " + cut + " outside 0.." + text.length());
        }
        if (cut >= 0) {
            delta += finish(StopReason.STOP_RULE, cut);
        } else if (produced == tokens.length) {
            delta += finish(StopReason.MAX_TOKENS, -1);
        }
        return new Emitted(token, delta, route);
    }

    /** Ends the sequence; returns the text the detokeniser still held (now part of the text). */
    private String finish(StopReason reason, int cut) {
        String rest = detokenizer.finish();
        text.append(rest);
        stop = reason;
        cutAt = cut >= 0 ? cut : text.length();
        return rest;
    }

    boolean finished() {
        return stop != null;
    }

    /** The prompt followed by the tokens generated so far, with their routes: what a full recomputation runs on. */
    int[][] sequence() {
        int[] promptRoutes = request.effectivePromptRoutes();
        int p = request.promptIds().length;
        int[] ids = Arrays.copyOf(request.promptIds(), p + produced);
        int[] r = Arrays.copyOf(promptRoutes, p + produced);
        System.arraycopy(tokens, 0, ids, p, produced);
        System.arraycopy(routes, 0, r, p, produced);
        return new int[][] {ids, r};
    }

    Generation generation() {
        if (!finished()) throw new IllegalStateException("request " + request.id() + " not finished");
        return new Generation(request.id(), Arrays.copyOf(tokens, produced), Arrays.copyOf(routes, produced), text.toString(),
                cutAt, stop);
    }
}
