package dev.mole.orchestrator.curation;

import java.io.IOException;

/** Receives each finished shard (for example, uploads it). */
public interface ShardSink {
    /**
     * Called once per finished shard, before the checkpoint naming it is reported. The file is a temporary file that the
     * engine deletes when this returns, so copy or upload it here.
     */
    void accept(ShardFile shard) throws IOException;
}
