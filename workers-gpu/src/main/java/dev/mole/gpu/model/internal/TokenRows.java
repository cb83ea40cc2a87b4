package dev.mole.gpu.model.internal;

import dev.mole.gpu.model.RoutingMode;

/**
 * What an MLP may need to know about the rows it is given besides their values.
 *
 * @param groups    MoLE's route groups (null without adapters)
 * @param mode      grouped or naive adapter routing
 * @param sequences how the rows lie in sequences; null where the rows are not whole sequences from position 0 (decoding
 *                  with a cache), which only the dense and MoLE MLPs accept
 * @param log       where a learned router records its auxiliary losses and choices; null when nobody asks
 */
public record TokenRows(RouteGroups groups, RoutingMode mode, Sequences sequences, RouterLog log) {

    public static TokenRows of(RouteGroups groups, RoutingMode mode) {
        return new TokenRows(groups, mode, null, null);
    }

    public TokenRows withLog(RouterLog l) {
        return new TokenRows(groups, mode, sequences, l);
    }

    /**
     * Rows laid out sequence-major: row {@code s * stride + p} is position p of sequence s; positions at or past
     * {@code lengths[s]} are padding.
     *
     * @param routes each row's MoLE route label ({@code dev.mole.gpu.model.Route}), flat; used by a learned router only
     *               for its language-prior loss and its statistics, never to route
     */
    public record Sequences(int stride, int[] lengths, int[] routes) {
        public Sequences {
            if (routes.length != stride * lengths.length) {
                throw new IllegalArgumentException(routes.length + " routes for " + lengths.length + " sequences of stride " + stride);
            }
        }

        public int count() {
            return lengths.length;
        }

        public static Sequences single(int[] routes) {
            return new Sequences(routes.length, new int[] {routes.length}, routes);
        }
    }
}
