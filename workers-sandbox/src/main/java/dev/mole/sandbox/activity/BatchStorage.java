package dev.mole.sandbox.activity;

import dev.mole.contracts.storage.BlobStore;
import dev.mole.contracts.storage.ObjectRef;
import java.io.InputStream;
import java.nio.file.Path;

/** The three object-store operations the batch activity needs; {@link #of(BlobStore)} adapts the platform's store. */
public interface BatchStorage {
    InputStream open(ObjectRef ref);

    void putFile(ObjectRef ref, Path file, String contentType);

    boolean exists(ObjectRef ref);

    static BatchStorage of(BlobStore store) {
        return new BatchStorage() {
            @Override
            public InputStream open(ObjectRef ref) {
                return store.open(ref);
            }

            @Override
            public void putFile(ObjectRef ref, Path file, String contentType) {
                store.putFile(ref, file, contentType);
            }

            @Override
            public boolean exists(ObjectRef ref) {
                return store.exists(ref);
            }
        };
    }
}
