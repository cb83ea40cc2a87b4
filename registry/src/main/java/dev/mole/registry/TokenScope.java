package dev.mole.registry;

import java.util.Locale;

/** What a bearer token may do: READ lists and downloads; WRITE registers, moves aliases, tags, deprecates; ADMIN also
 * manages tokens and deletes versions. Each scope includes the ones before it. */
public enum TokenScope {
    READ, WRITE, ADMIN;

    public boolean includes(TokenScope other) {
        return ordinal() >= other.ordinal();
    }

    public static TokenScope parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw RegistryException.invalid("unknown scope '" + s + "' (read, write or admin)");
        }
    }
}
