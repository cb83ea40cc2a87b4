package dev.mole.sandbox.internal.runners;

import java.nio.file.Path;

/**
 * Host directories of one program run. {@code src} holds the assembled files (root-owned, world-readable, mounted
 * read-only); {@code out} belongs to the slot's uid and is writable in the compile phase only.
 */
public record RunDirs(Path src, Path out, int hostUid) {
    public static final String SRC = "/mole/src";
    public static final String OUT = "/mole/out";
    public static final String CACHE = "/mole/cache";
}
