package dev.mole.orchestrator.curation.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** An append-only list of longs in fixed chunks: 8 bytes per element and no doubling copies while it grows. */
public final class LongChunkList {
    private static final int CHUNK = 1 << 16;

    private final List<long[]> chunks = new ArrayList<>();
    private long size;

    public void add(long value) {
        int offset = (int) (size % CHUNK);
        if (offset == 0) {
            chunks.add(new long[CHUNK]);
        }
        chunks.get(chunks.size() - 1)[offset] = value;
        size++;
    }

    public long size() {
        return size;
    }

    /** The values sorted (signed order) in a new array; the chunks are released as they are copied. */
    public long[] drainSorted() {
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("more than 2^31 rows of one language");
        }
        long[] all = new long[(int) size];
        int at = 0;
        for (int c = 0; c < chunks.size(); c++) {
            int n = (int) Math.min(CHUNK, size - at);
            System.arraycopy(chunks.get(c), 0, all, at, n);
            chunks.set(c, null);
            at += n;
        }
        chunks.clear();
        size = 0;
        Arrays.sort(all);
        return all;
    }
}
