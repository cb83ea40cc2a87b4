package dev.mole.gpu.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Checkpoints in a local directory: each is written (and fsynced) into a hidden temporary directory, then renamed
 * atomically to {@code step-NNNNNNNNNNNN}. The marker is still checked on read, so a directory copied in by hand or damaged
 * later is not taken for whole. Keeps the newest {@code keep} checkpoints.
 */
public final class LocalCheckpointStore implements CheckpointStore {

    private final Path root;
    private final int keep;

    public LocalCheckpointStore(Path root, int keep) {
        this.root = root;
        this.keep = Math.max(1, keep);
    }

    @Override
    public void save(long step, Map<String, byte[]> parts) {
        try {
            Files.createDirectories(root);
            Path tmp = Files.createTempDirectory(root, ".tmp-" + CheckpointStore.stepName(step) + "-");
            Map<String, byte[]> all = new LinkedHashMap<>(parts);
            all.put(MARKER, CheckpointStore.marker(step, parts)); // last
            for (var e : all.entrySet()) {
                Path f = tmp.resolve(e.getKey());
                Files.write(f, e.getValue());
                try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
            }
            Path target = root.resolve(CheckpointStore.stepName(step));
            if (Files.exists(target)) deleteTree(target); // same step written again after a resume: replace it
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            prune();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint of step " + step + " under " + root, e);
        }
    }

    @Override
    public Optional<Checkpoint> latest() {
        if (!Files.isDirectory(root)) return Optional.empty();
        for (Path dir : steps()) {
            try {
                Path marker = dir.resolve(MARKER);
                if (!Files.isRegularFile(marker)) continue;
                var parsed = CheckpointStore.parseMarker(Files.readAllBytes(marker));
                if (parsed.isEmpty()) continue;
                Map<String, byte[]> parts = new LinkedHashMap<>();
                for (String name : parsed.get().getValue().keySet()) {
                    Path p = dir.resolve(name);
                    if (Files.isRegularFile(p)) parts.put(name, Files.readAllBytes(p));
                }
                if (CheckpointStore.matches(parsed.get().getValue(), parts)) return Optional.of(new Checkpoint(parsed.get().getKey(), parts));
            } catch (IOException e) {
                // unreadable: not a complete checkpoint; try the previous one
            }
        }
        return Optional.empty();
    }

    /** Step directories, newest first. */
    private List<Path> steps() {
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> p.getFileName().toString().matches("step-\\d{12}") && Files.isDirectory(p))
                    .sorted(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void prune() throws IOException {
        List<Path> all = steps();
        for (int i = keep; i < all.size(); i++) deleteTree(all.get(i));
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
        }
    }
}
