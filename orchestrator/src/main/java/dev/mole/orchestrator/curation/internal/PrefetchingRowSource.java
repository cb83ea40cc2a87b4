package dev.mole.orchestrator.curation.internal;

import dev.mole.orchestrator.curation.Row;
import dev.mole.orchestrator.curation.RowSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads another source on its own thread, a few batches ahead, so decoding and JSON parsing overlap with
 * classification and compression. Rows come out in exactly the source's order (one producer, one FIFO queue), so
 * nothing downstream can depend on timing. Memory is bounded: at most {@link #QUEUED_BATCHES} + 2 batches of at most
 * {@link #BATCH_ROWS} rows or about {@link #BATCH_CHARS} chars each.
 *
 * <p>{@link #close()} stops and joins the reader thread but does not close the wrapped source: its owner closes it,
 * and after {@code close()} returns no other thread touches it.
 */
public final class PrefetchingRowSource implements RowSource {
    static final int BATCH_ROWS = 512;
    static final int BATCH_CHARS = 4 << 20;
    static final int QUEUED_BATCHES = 4;

    private static final Object END = new Object();

    private final RowSource source;
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUED_BATCHES);
    private final Thread reader;
    private volatile boolean stopped;
    private volatile long bytesRead;
    private Row[] batch = new Row[0];
    private int position;
    private boolean finished;

    public PrefetchingRowSource(RowSource source) {
        this.source = source;
        this.reader = new Thread(this::produce, "curation-row-reader");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    private void produce() {
        while (!stopped) {
            Row[] rows = new Row[BATCH_ROWS];
            int n = 0;
            long chars = 0;
            Row r = null;
            Throwable failure = null;
            try {
                while (n < BATCH_ROWS && chars < BATCH_CHARS && (r = source.next()) != null) {
                    rows[n++] = r;
                    if (r.rejection() == null) {
                        chars += r.question().length() + (long) r.answer().length();
                    }
                }
                bytesRead = source.bytesRead();
            } catch (Throwable t) {
                failure = t;
            }
            // rows read before a failure are delivered first, so the consumer sees them in order, then the failure
            if (n > 0 && !put(n == rows.length ? rows : Arrays.copyOf(rows, n))) {
                return;
            }
            if (failure != null) {
                put(failure);
                return;
            }
            if (r == null) {
                put(END);
                return;
            }
        }
    }

    /** False when the consumer stopped: the item is dropped. */
    private boolean put(Object item) {
        try {
            while (!stopped) {
                if (queue.offer(item, 50, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    @Override
    public Row next() throws IOException {
        if (position < batch.length) {
            return batch[position++];
        }
        if (finished) {
            return null;
        }
        Object item;
        try {
            item = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for input rows");
        }
        if (item == END) {
            finished = true;
            return null;
        }
        if (item instanceof Throwable t) {
            finished = true;
            throw rethrow(t);
        }
        batch = (Row[]) item;
        position = 1;
        return batch[0];
    }

    private static IOException rethrow(Throwable t) {
        if (t instanceof IOException io) {
            return io;
        }
        if (t instanceof RuntimeException rt) {
            throw rt;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new UncheckedIOException(new IOException(t));
    }

    /** Bytes the reader thread has consumed (it runs a few batches ahead of {@link #next()}). */
    @Override
    public long bytesRead() {
        return bytesRead;
    }

    @Override
    public void close() {
        stopped = true;
        queue.clear(); // frees a producer blocked on a full queue
        boolean interrupted = false;
        while (true) {
            try {
                reader.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        queue.clear();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
