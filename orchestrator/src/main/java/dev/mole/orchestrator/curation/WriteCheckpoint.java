package dev.mole.orchestrator.curation;

import java.util.List;
import java.util.Map;

/**
 * Where the write pass can resume so that its output is byte-identical to an uninterrupted run. Small: a few numbers
 * and the list of finished shards, so it fits in a Temporal heartbeat.
 *
 * <p>A shard still open when the checkpoint is taken is lost with the worker; so the resumed run re-reads from the
 * first row of the earliest open shard ({@code nextRow}) and, per split, writes only rows from that split's own open
 * shard on ({@code trainResumeRow}, {@code validationResumeRow}); rows of a split before its resume row are already in
 * a finished shard.
 *
 * @param nextRow             first input row the resumed pass reads
 * @param shards              finished shards, kept as they are
 * @param trainResumeRow      first row whose train record is not in a finished shard
 * @param validationResumeRow first row whose validation record is not in a finished shard
 * @param validationTiesTaken per language id: rows with hash equal to the validation threshold already sent to
 *                            validation before {@code nextRow} (almost always 0; makes the split exact on hash ties)
 */
public record WriteCheckpoint(long nextRow, List<ShardInfo> shards, long trainResumeRow, long validationResumeRow,
        Map<String, Long> validationTiesTaken) {

    public WriteCheckpoint {
        shards = List.copyOf(shards);
        // sorted, so the JSON of a checkpoint is stable
        validationTiesTaken = validationTiesTaken == null ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(validationTiesTaken));
    }
}
