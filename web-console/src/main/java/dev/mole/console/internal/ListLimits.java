package dev.mole.console.internal;

/** The {@code limit} parameter of the run lists: a bounded page, refused with a message when out of range. */
final class ListLimits {
    static final int MAX_RUNS = 200;

    private ListLimits() {}

    static int checked(int limit) {
        if (limit < 1 || limit > MAX_RUNS) {
            throw ApiException.badRequest("limit must be between 1 and " + MAX_RUNS + "; got " + limit);
        }
        return limit;
    }
}
