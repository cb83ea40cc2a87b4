package dev.mole.orchestrator.curation;

/** Progress callbacks, called on the engine's thread; keep them quick (heartbeat, a database update at most). */
public interface CurationProgress {
    /** Called every few thousand rows and at the end of a pass; phase is {@code "plan"} or {@code "write"}. */
    void rowsRead(String phase, long rows, long bytes);

    /** Called after a shard was accepted by the sink; persisting this checkpoint lets the write pass resume. */
    void shardWritten(WriteCheckpoint checkpoint);

    static CurationProgress none() {
        return new CurationProgress() {
            @Override
            public void rowsRead(String phase, long rows, long bytes) {}

            @Override
            public void shardWritten(WriteCheckpoint checkpoint) {}
        };
    }
}
