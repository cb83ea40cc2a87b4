package dev.mole.gpu.training;

import dev.mole.contracts.storage.BlobStore;
import dev.mole.contracts.storage.ObjectRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Checkpoints in the object store under {@code prefix/step-NNNNNNNNNNNN/}: every part is PUT first, the
 * {@value CheckpointStore#MARKER} commit marker (sha256 of each part) last. Each S3 PUT is atomic per object, and a reader
 * takes a checkpoint only when the marker exists and every part matches it, so a worker dying mid-checkpoint leaves an
 * ignored partial folder. Older checkpoints beyond {@code keep} are deleted marker first (so they are never half-valid).
 */
public final class ObjectStoreCheckpointStore implements CheckpointStore {

    private final BlobStore store;
    private final ObjectRef prefix;
    private final int keep;

    public ObjectStoreCheckpointStore(BlobStore store, ObjectRef prefix, int keep) {
        this.store = store;
        this.prefix = prefix;
        this.keep = Math.max(1, keep);
    }

    @Override
    public void save(long step, Map<String, byte[]> parts) {
        ObjectRef dir = prefix.child(CheckpointStore.stepName(step));
        for (var e : parts.entrySet()) store.put(dir.child(e.getKey()), e.getValue(), "application/octet-stream");
        store.put(dir.child(MARKER), CheckpointStore.marker(step, parts), "application/json");
        prune();
    }

    @Override
    public Optional<Checkpoint> latest() {
        for (var e : stepFolders().descendingMap().entrySet()) {
            ObjectRef dir = prefix.child(e.getKey());
            if (!e.getValue().contains(MARKER)) continue;
            var parsed = CheckpointStore.parseMarker(store.read(dir.child(MARKER)));
            if (parsed.isEmpty()) continue;
            Map<String, byte[]> parts = new LinkedHashMap<>();
            for (String name : parsed.get().getValue().keySet()) {
                if (e.getValue().contains(name)) parts.put(name, store.read(dir.child(name)));
            }
            if (CheckpointStore.matches(parsed.get().getValue(), parts)) return Optional.of(new Checkpoint(parsed.get().getKey(), parts));
        }
        return Optional.empty();
    }

    /** step folder name -> object names in it. */
    private TreeMap<String, List<String>> stepFolders() {
        TreeMap<String, List<String>> out = new TreeMap<>();
        String base = prefix.key().endsWith("/") ? prefix.key() : prefix.key() + "/";
        for (ObjectRef r : store.list(new ObjectRef(prefix.bucket(), base))) {
            String rest = r.key().substring(base.length());
            int slash = rest.indexOf('/');
            if (slash < 0) continue;
            String folder = rest.substring(0, slash);
            if (!folder.matches("step-\\d{12}")) continue;
            out.computeIfAbsent(folder, k -> new ArrayList<>()).add(rest.substring(slash + 1));
        }
        return out;
    }

    private void prune() {
        var folders = stepFolders();
        List<String> complete = new ArrayList<>();
        for (var e : folders.descendingMap().entrySet()) if (e.getValue().contains(MARKER)) complete.add(e.getKey());
        for (int i = keep; i < complete.size(); i++) {
            ObjectRef dir = prefix.child(complete.get(i));
            store.delete(dir.child(MARKER));
            for (String name : folders.get(complete.get(i))) if (!name.equals(MARKER)) store.delete(dir.child(name));
        }
    }
}
