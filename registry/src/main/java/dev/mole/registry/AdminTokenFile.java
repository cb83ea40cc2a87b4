package dev.mole.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The registry's admin token, created at the platform's first start and kept in {@code $MOLE_HOME/registry/admin-token}
 * (mode 0600, written whole by an atomic rename). The database keeps only its hash, so this file is the one copy.
 */
public final class AdminTokenFile {
    private AdminTokenFile() {}

    public static Path of(Path home) {
        return home.resolve("registry/admin-token");
    }

    /** Creates the admin token and its file unless the file exists; returns the file. */
    public static Path ensure(AdapterRegistry registry, Path home) {
        Path file = of(home);
        if (Files.isRegularFile(file)) return file;
        try {
            Files.createDirectories(file.getParent());
            // a name of its own each time: a home whose file was deleted gets a new admin token, the old one stays valid
            String token = registry.createToken("admin-" + System.currentTimeMillis(), TokenScope.ADMIN);
            Path tmp = file.resolveSibling("admin-token.tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp);
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // a non-POSIX file system: the home directory's own permissions protect it
            }
            Files.writeString(tmp, token + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the registry's admin token to " + file + ": " + e.getMessage(), e);
        }
    }

    /** The token in the file, for the CLI. */
    public static String read(Path home) {
        try {
            return Files.readString(of(home), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("no registry admin token at " + of(home) + " (start the platform once with ./mole up)", e);
        }
    }
}
