package dev.mole.orchestrator.curation.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mole.orchestrator.curation.CurationInputException;
import dev.mole.orchestrator.curation.DropReason;
import dev.mole.orchestrator.curation.Row;
import dev.mole.orchestrator.curation.RowSource;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PrefetchingRowSourceTest {

    /** Counts rows; fails after {@code failAt} rows when non-negative; notes any call after close. */
    private static final class CountingSource implements RowSource {
        final long total;
        final long failAt;
        final RuntimeException failure;
        final AtomicLong served = new AtomicLong();
        final AtomicBoolean closed = new AtomicBoolean();
        final AtomicBoolean usedAfterClose = new AtomicBoolean();

        CountingSource(long total, long failAt, RuntimeException failure) {
            this.total = total;
            this.failAt = failAt;
            this.failure = failure;
        }

        @Override
        public Row next() throws IOException {
            if (closed.get()) {
                usedAfterClose.set(true);
            }
            long i = served.get();
            if (i == failAt) {
                if (failure != null) {
                    throw failure;
                }
                throw new IOException("disk on fire");
            }
            if (i == total) {
                return null;
            }
            served.incrementAndGet();
            return i % 7 == 3 ? Row.rejected(i, DropReason.MALFORMED_JSON) : Row.readable(i, "q" + i, "a");
        }

        @Override
        public long bytesRead() {
            return served.get() * 10;
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    @Test
    void rowsComeOutInSourceOrderThenNullForever() throws IOException {
        CountingSource source = new CountingSource(10_001, -1, null);
        try (PrefetchingRowSource p = new PrefetchingRowSource(source)) {
            for (long i = 0; i < 10_001; i++) {
                Row r = p.next();
                assertThat(r.index()).isEqualTo(i);
                assertThat(r.rejection()).isEqualTo(i % 7 == 3 ? DropReason.MALFORMED_JSON : null);
            }
            assertThat(p.next()).isNull();
            assertThat(p.next()).isNull();
            assertThat(p.bytesRead()).isEqualTo(100_010);
        }
    }

    @Test
    void readerExceptionsReachTheConsumerAfterTheRowsBeforeThem() throws IOException {
        try (PrefetchingRowSource p = new PrefetchingRowSource(new CountingSource(5_000, 1_000, null))) {
            for (int i = 0; i < 1_000; i++) {
                assertThat(p.next()).isNotNull();
            }
            assertThatThrownBy(p::next).isInstanceOf(IOException.class).hasMessage("disk on fire");
        }
        try (PrefetchingRowSource p = new PrefetchingRowSource(
                new CountingSource(5_000, 0, new CurationInputException("bad gzip")))) {
            assertThatThrownBy(p::next).isInstanceOf(CurationInputException.class).hasMessage("bad gzip");
        }
    }

    @Test
    void closeStopsTheReaderBeforeTheOwnerClosesTheSource() throws Exception {
        CountingSource source = new CountingSource(Long.MAX_VALUE, -1, null);
        PrefetchingRowSource p = new PrefetchingRowSource(source);
        p.next();
        p.close();
        source.close();
        long served = source.served.get();
        Thread.sleep(100);
        assertThat(source.served.get()).as("nothing read after close").isEqualTo(served);
        assertThat(source.usedAfterClose.get()).isFalse();
        // bounded read-ahead: queued batches plus the one being filled and the one being consumed
        assertThat(served).isLessThanOrEqualTo((long) (PrefetchingRowSource.QUEUED_BATCHES + 2)
                * PrefetchingRowSource.BATCH_ROWS);
    }
}
