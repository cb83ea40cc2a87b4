package dev.mole.deploy;

import dev.mole.contracts.storage.BlobStore;
import dev.mole.contracts.storage.ObjectRef;
import dev.mole.gpu.model.TinyCheckpointFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** A generated tiny base checkpoint put into a platform's object store, as the deploy tests' stand-in for a real model. */
final class TinyBase {
    private TinyBase() {}

    static ObjectRef upload(BlobStore store, String bucket, Path dir, TinyCheckpointFactory.Options options) throws IOException {
        Path tiny = TinyCheckpointFactory.write(dir, options);
        ObjectRef base = new ObjectRef(bucket, "models/" + dir.getFileName());
        try (Stream<Path> files = Files.list(tiny)) {
            for (Path f : files.toList()) store.putFile(base.child(f.getFileName().toString()), f, "application/octet-stream");
        }
        return base;
    }
}
