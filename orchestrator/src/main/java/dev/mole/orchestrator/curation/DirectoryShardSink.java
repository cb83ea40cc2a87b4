package dev.mole.orchestrator.curation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Copies each shard into a local directory (the CLI, the benchmark, tests). Replaces a shard of the same name. */
public final class DirectoryShardSink implements ShardSink {
    private final Path directory;

    public DirectoryShardSink(Path directory) throws IOException {
        this.directory = Files.createDirectories(directory);
    }

    @Override
    public void accept(ShardFile shard) throws IOException {
        // copy to a temp name, then rename: a reader never sees half a shard
        Path partial = directory.resolve(shard.name() + ".partial");
        Files.copy(shard.file(), partial, StandardCopyOption.REPLACE_EXISTING);
        Files.move(partial, directory.resolve(shard.name()), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    public Path directory() {
        return directory;
    }
}
