package dev.mole.sandbox.internal;

import java.nio.file.Path;

/** A host path made visible inside the sandbox; read-only unless {@code writable}. */
public record Mount(Path host, String inside, boolean writable) {
    public static Mount readOnly(Path host, String inside) {
        return new Mount(host, inside, false);
    }

    public static Mount writable(Path host, String inside) {
        return new Mount(host, inside, true);
    }
}
