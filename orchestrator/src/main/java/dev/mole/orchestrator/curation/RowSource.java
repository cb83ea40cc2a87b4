package dev.mole.orchestrator.curation;

import java.io.IOException;

/** A stream of input rows in input order, holding at most one row in memory. */
public interface RowSource extends AutoCloseable {
    /** The next row, or null at the end of the input. Unreadable rows come back with a rejection, not an exception. */
    Row next() throws IOException;

    /** Bytes consumed from the underlying input so far (compressed bytes for gzip), for progress; 0 if unknown. */
    long bytesRead();

    @Override
    void close() throws IOException;
}
