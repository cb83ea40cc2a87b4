package dev.mole.orchestrator.curation;

import java.nio.file.Path;

/**
 * A finished shard still on local disk.
 *
 * @param name   e.g. {@code train-00000.jsonl.gz}
 * @param split  {@code train} or {@code validation}
 * @param sha256 lower-case hex of the file's bytes
 */
public record ShardFile(String name, String split, Path file, long rows, long bytes, String sha256) {
    public ShardInfo info() {
        return new ShardInfo(name, split, rows, bytes, sha256);
    }
}
