package dev.mole.registry.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The platform's version as the build wrote it (a filtered resource), recorded in every version's lineage. */
final class PlatformVersion {
    private static final String VERSION = read();

    private PlatformVersion() {}

    static String get() {
        return VERSION;
    }

    private static String read() {
        try (InputStream in = PlatformVersion.class.getResourceAsStream("platform-version.txt")) {
            return in == null ? "unknown" : new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
