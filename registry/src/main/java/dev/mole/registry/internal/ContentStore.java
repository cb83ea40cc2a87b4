package dev.mole.registry.internal;

import dev.mole.contracts.storage.BaseModelIdentity;
import dev.mole.contracts.storage.BlobStore;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.registry.RegistryException;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/**
 * The registry's files, each stored once under its own sha256 ({@code registry/blobs/sha256/<2 hex>/<hex>}). A blob
 * exists only once its bytes were verified: a copy goes to a staging key, its sha256 is computed on the way, and only a
 * matching copy is moved (server-side) to its blob key. A blob key is never written with other bytes, so a version's
 * files cannot change, and identical files of many versions are stored once.
 */
final class ContentStore {
    private final BlobStore store;
    private final String bucket;

    ContentStore(BlobStore store, String bucket) {
        this.store = store;
        this.bucket = bucket;
    }

    ObjectRef blob(String sha256) {
        return new ObjectRef(bucket, "registry/blobs/sha256/" + sha256.substring(0, 2) + "/" + sha256);
    }

    /** Stores {@code source} as the blob of {@code sha256} unless it is there; returns its size. */
    long put(ObjectRef source, String sha256, String name) {
        ObjectRef target = blob(sha256);
        Optional<Long> have = store.size(target);
        if (have.isPresent()) {
            return have.get();
        }
        long size = store.size(source).orElseThrow(() ->
                RegistryException.invalid("the manifest lists " + name + ", but " + source + " does not exist"));
        ObjectRef staging = new ObjectRef(bucket, "registry/staging/" + UUID.randomUUID());
        String actual;
        try (DigestInputStream in = new DigestInputStream(store.open(source), BaseModelIdentity.digest())) {
            store.putStream(staging, in, size, "application/octet-stream");
            actual = HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (IOException e) {
            store.delete(staging);
            throw new java.io.UncheckedIOException("cannot read " + source + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            store.delete(staging);
            throw e;
        }
        try {
            if (!actual.equals(sha256)) {
                throw RegistryException.invalid(name + " does not match its sha256 in the manifest (manifest "
                        + sha256.substring(0, 12) + ", file " + actual.substring(0, 12) + ")");
            }
            store.copy(staging, target);
        } finally {
            store.delete(staging);
        }
        return size;
    }

    /** Stores bytes already in hand (the manifest) as their blob. */
    long putBytes(byte[] data, String sha256) {
        ObjectRef target = blob(sha256);
        if (!store.exists(target)) {
            store.put(target, data, "application/json");
        }
        return data.length;
    }

    InputStream open(String sha256) {
        return store.open(blob(sha256));
    }

    byte[] read(String sha256) {
        return store.read(blob(sha256));
    }
}
