package dev.mole.contracts.training;

import java.util.List;
import java.util.Map;

/**
 * Which experts a learned router sent each kind of token to (MULTIPL_MOE; docs/multipl-moe.md), summed over layers.
 * Keys are the tokens' labels: a language id ({@code python}, ...) for code, {@code nl} for prose and prompt text.
 *
 * @param token   label -> tokens per token-level expert; the last expert is the frozen one, which every token takes
 *                besides its top-1, so its count is the label's token count
 * @param segment label -> tokens per segment-level expert (a token counts once for each expert that took its window)
 */
public record RoutingCounts(Map<String, List<Long>> token, Map<String, List<Long>> segment) {
    public RoutingCounts {
        token = token == null ? Map.of() : Map.copyOf(token);
        segment = segment == null ? Map.of() : Map.copyOf(segment);
    }
}
