package dev.mole.gpu.training;

import dev.mole.contracts.storage.BlobStore;
import dev.mole.contracts.storage.ObjectRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Object-store folders (key prefixes) mirrored into local directories, for the GPU worker's activities. */
public final class ObjectFolders {
    private ObjectFolders() {}

    /**
     * Every object under the prefix into {@code dir} (same relative names), skipping files already there with that size:
     * a worker that evaluates or resumes from the same folder again fetches nothing.
     *
     * @param what names the folder in the error when it is empty ("base checkpoint", "trained output")
     */
    public static Path download(BlobStore store, ObjectRef prefix, Path dir, String what) throws IOException {
        Files.createDirectories(dir);
        String base = prefix.key().endsWith("/") ? prefix.key() : prefix.key() + "/";
        List<ObjectRef> refs = store.list(new ObjectRef(prefix.bucket(), base));
        if (refs.isEmpty()) throw new IllegalArgumentException("no " + what + " under " + prefix);
        for (ObjectRef r : refs) {
            String rel = r.key().substring(base.length());
            if (rel.startsWith("checkpoints/")) continue; // training state, never needed to use a model
            Path f = dir.resolve(rel).normalize();
            if (!f.startsWith(dir)) throw new IllegalArgumentException("object " + r + " would land outside " + dir);
            long size = store.size(r).orElse(-1L);
            if (Files.isRegularFile(f) && Files.size(f) == size) continue;
            Files.createDirectories(f.getParent());
            Files.write(f, store.read(r));
        }
        return dir;
    }
}
