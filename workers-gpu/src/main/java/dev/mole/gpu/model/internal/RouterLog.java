package dev.mole.gpu.model.internal;

import ai.djl.ndarray.NDArray;
import dev.mole.gpu.model.Route;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a learned router did in one forward pass: the auxiliary loss of every sequence (summed over layers, in the graph so
 * it trains the router) and how many tokens of each route label (a language, nl) each expert took, summed over layers.
 * Filled by {@link MoeMlp}; one log per forward pass.
 */
public final class RouterLog {
    private NDArray auxPerSequence;
    private final Map<String, long[]> tokenChoices = new TreeMap<>();
    private final Map<String, long[]> segmentChoices = new TreeMap<>();

    void addAux(NDArray perSequence) {
        auxPerSequence = auxPerSequence == null ? perSequence : auxPerSequence.add(perSequence);
    }

    void countToken(int route, int expert, int experts) {
        tokenChoices.computeIfAbsent(Route.name(route), k -> new long[experts])[expert]++;
    }

    void countSegment(int route, int expert, int experts) {
        segmentChoices.computeIfAbsent(Route.name(route), k -> new long[experts])[expert]++;
    }

    /** [sequences] auxiliary loss per sequence of the pass, float32; null when no MoE layer ran. */
    public NDArray auxPerSequence() {
        return auxPerSequence;
    }

    /** Route label -> tokens per token-level expert (the top-1 choice; the frozen expert takes every token as well). */
    public Map<String, long[]> tokenChoices() {
        return tokenChoices;
    }

    /** Route label -> tokens per segment-level expert (a token counts once per expert that took its segment). */
    public Map<String, long[]> segmentChoices() {
        return segmentChoices;
    }
}
