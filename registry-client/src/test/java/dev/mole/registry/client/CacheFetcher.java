package dev.mole.registry.client;

import java.net.URI;
import java.nio.file.Path;

/** A second process for {@link ContentCacheTest}: fetches one file into a cache. Args: cache dir, sha256, size, url. */
public final class CacheFetcher {
    public static void main(String[] args) {
        ContentCache cache = new ContentCache(Path.of(args[0]));
        cache.get(args[1], Long.parseLong(args[2]), "blob", () -> URI.create(args[3]).toURL().openStream());
        System.out.println("fetched");
    }
}
