package dev.mole.registry;

import java.util.List;

/** One page of a listing; {@code nextPageToken} is null on the last page and is passed back as is for the next. */
public record Page<T>(List<T> items, String nextPageToken) {}
