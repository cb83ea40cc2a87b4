package dev.mole.orchestrator.curation;

import java.util.List;

/** Everything the write pass produced: the shards in the order they were finished, and the statistics. */
public record CurationOutput(List<ShardInfo> shards, CurationStatistics statistics) {
    public CurationOutput {
        shards = List.copyOf(shards);
    }
}
