package dev.mole.contracts.evaluation;

import java.util.List;

/**
 * What a GPU worker produced for one {@link GenerationTask}: one line of a chunk's output object.
 *
 * @param text   the raw generated text (after the response prefix), kept whole even past the stop
 * @param cutAt  where the stop rule said the completion ends (-1: it never did; the whole text is the completion)
 * @param stop   EOS, STOP_RULE or MAX_TOKENS
 * @param pieces the text of each generated token, in order (for the console's per-token expert colouring)
 * @param routes each token's route name ({@code nl}, {@code python}, ...)
 */
public record GeneratedSample(String sampleId, String text, int cutAt, String stop, List<String> pieces, List<String> routes) {
    public GeneratedSample {
        pieces = pieces == null ? List.of() : List.copyOf(pieces);
        routes = routes == null ? List.of() : List.copyOf(routes);
    }

    /** The completion the grader uses. */
    public String completion() {
        return cutAt < 0 ? text : text.substring(0, Math.min(cutAt, text.length()));
    }
}
