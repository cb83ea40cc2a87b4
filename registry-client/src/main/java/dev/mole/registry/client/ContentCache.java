package dev.mole.registry.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * A local store of downloaded files named by their sha256 ({@code <dir>/sha256/<2 hex>/<hex>}). A file gets its name
 * only after its bytes were hashed and matched: each download goes to a temp file of its own in the same folder and is
 * renamed atomically, so two threads or processes fetching the same file at once both end with the one verified file
 * (the second rename replaces it with identical bytes) and a reader never sees half of one.
 */
public final class ContentCache {
    /** Opens the bytes of a file the cache does not hold yet. */
    @FunctionalInterface
    public interface Source {
        InputStream open() throws IOException;
    }

    private final Path dir;

    public ContentCache(Path dir) {
        this.dir = dir;
    }

    public Path pathOf(String sha256) {
        if (!sha256.matches("[0-9a-f]{64}")) throw new IllegalArgumentException("not a sha256: " + sha256);
        return dir.resolve("sha256").resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    public boolean contains(String sha256, long size) {
        Path p = pathOf(sha256);
        try {
            return Files.isRegularFile(p) && Files.size(p) == size;
        } catch (IOException e) {
            return false;
        }
    }

    /** The cached file of {@code sha256}, fetched from {@code source} first if absent. */
    public Path get(String sha256, long size, String name, Source source) {
        Path target = pathOf(sha256);
        if (contains(sha256, size)) return target;
        Path tmp = target.resolveSibling(sha256 + "." + UUID.randomUUID() + ".part");
        try {
            Files.createDirectories(target.getParent());
            String actual;
            long written;
            try (InputStream raw = source.open(); DigestInputStream in = new DigestInputStream(raw, sha256Digest());
                 OutputStream out = Files.newOutputStream(tmp)) {
                written = in.transferTo(out);
                actual = HexFormat.of().formatHex(in.getMessageDigest().digest());
            }
            if (!actual.equals(sha256) || written != size) {
                throw new RegistryClientException(0, name + " did not verify: expected sha256 " + sha256.substring(0, 12) + " and "
                        + size + " bytes, got " + actual.substring(0, 12) + " and " + written + " bytes");
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot fetch " + name + " into " + dir + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // a leftover .part file is never taken for a cached one
            }
        }
    }

    static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
