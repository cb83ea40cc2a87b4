package dev.mole.gpu.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.mole.gpu.model.internal.Tensors;

/**
 * Keys and values of several sequences decoding together: per layer one [slots, kvHeads, capacity, headDim] array, row i
 * of the batch in slot i, each row with its own length. Rows are kept packed (slots 0..rows-1): a finished row's slot
 * takes the last row, so a step's keys are one view of the first rows and nothing is gathered. New rows come from a
 * batched prefill ({@link #admit}), which writes every prompt's keys and values straight into its row. Positions past a
 * row's length hold stale or zero values that the step's mask hides. Capacity grows as the longest row needs.
 */
final class BatchKvCache implements AutoCloseable {
    private final NDManager manager;
    private final int slots;
    private final NDArray[] keys;
    private final NDArray[] values;
    private final int[] lengths;
    private int rows;
    private int capacity;
    private final int kvHeads;
    private final int headDim;
    private final DataType type;

    BatchKvCache(NDManager parent, int layers, int slots, int kvHeads, int headDim, DataType type) {
        if (slots < 1) throw new IllegalArgumentException("a batch cache needs at least one slot, got " + slots);
        this.manager = parent.newSubManager();
        this.slots = slots;
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
        this.lengths = new int[slots];
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        this.type = type;
    }

    int rows() {
        return rows;
    }

    int slots() {
        return slots;
    }

    /** Each row's cached length: the position of its next token. */
    int[] lengths() {
        return java.util.Arrays.copyOf(lengths, rows);
    }

    /**
     * Takes the next free rows for prompts of these lengths, prefilled together by one packed forward pass
     * ({@link LlamaModel#prefill}): the returned appender writes each prompt's keys and values of each layer into its row
     * at positions 0..length-1. The rows count as added at once.
     */
    Prefill admit(int[] promptLengths) {
        int n = promptLengths.length;
        if (n == 0) throw new IllegalArgumentException("no prompts to admit");
        if (rows + n > slots) throw new IllegalStateException(n + " prompts for " + (slots - rows) + " free of " + slots + " slots");
        int longest = 0;
        for (int len : promptLengths) {
            if (len < 1) throw new IllegalArgumentException("empty prompt");
            longest = Math.max(longest, len);
        }
        reserve(longest);
        NDIndex[] into = new NDIndex[n];
        for (int i = 0; i < n; i++) {
            into[i] = new NDIndex((rows + i) + ", :, :" + promptLengths[i]);
            lengths[rows + i] = promptLengths[i];
        }
        rows += n;
        return new Prefill(into);
    }

    /** Where a batched prefill writes: prompt i to row (first row + i), positions up to its length. */
    final class Prefill {
        private final NDIndex[] into;

        private Prefill(NDIndex[] into) {
            this.into = into;
        }

        /** Stores one layer's k/v of one prompt ([kvHeads, length, headDim], after rotary); returns them to attend to. */
        NDArray[] append(int layer, int prompt, NDArray k, NDArray v) {
            keys[layer].set(into[prompt], k);
            values[layer].set(into[prompt], v);
            return new NDArray[] {k, v};
        }
    }

    /** Removes a row; the last row moves into its place (the only row whose index changes). */
    void remove(int row) {
        int last = rows - 1;
        if (row != last) {
            NDIndex from = new NDIndex(last + ", :, :" + lengths[last]);
            NDIndex into = new NDIndex(row + ", :, :" + lengths[last]);
            for (NDArray[] kv : new NDArray[][] {keys, values}) {
                for (NDArray a : kv) {
                    try (NDArray moved = a.get(from)) {
                        a.set(into, moved);
                    }
                }
            }
            lengths[row] = lengths[last];
        }
        rows--;
    }

    /**
     * Begins a decoding step of one new token per row: makes room, and builds what every layer's write and read share.
     * Rows attend over the whole capacity, holes masked: the first rows of the cache are one contiguous block, where a
     * slice of the length axis would be strided, which made libtorch's attention matmuls 3x slower (measured at 32 rows).
     */
    Step step(NDManager step) {
        if (rows == 0) throw new IllegalStateException("no rows to decode");
        int longest = 0;
        for (int i = 0; i < rows; i++) longest = Math.max(longest, lengths[i] + 1);
        reserve(longest);
        long[] rowIdx = new long[rows], posIdx = new long[rows];
        float[] mask = new float[rows * capacity];
        for (int i = 0; i < rows; i++) {
            rowIdx[i] = i;
            posIdx[i] = lengths[i];
            for (int j = lengths[i] + 1; j < capacity; j++) mask[i * capacity + j] = Float.NEGATIVE_INFINITY;
        }
        return new Step(step, new NDIndex("{}, :, {}", step.create(rowIdx), step.create(posIdx)),
                rows == slots ? null : new NDIndex(":" + rows), step.create(mask, new Shape(rows, 1, 1, capacity)));
    }

    /** One decoding step's view of the cache. */
    final class Step {
        private final NDManager step;
        private final NDIndex write;
        private final NDIndex read;
        private final NDArray mask;

        private Step(NDManager step, NDIndex write, NDIndex read, NDArray mask) {
            this.step = step;
            this.write = write;
            this.read = read;
            this.mask = mask;
        }

        /** Additive [rows, 1, 1, capacity] float32 mask: each row sees its own positions and its new token only. */
        NDArray mask() {
            return mask;
        }

        /**
         * Writes the new token's k/v ([rows, kvHeads, headDim], after rotary) at each row's position and returns the keys
         * and values to attend to, [rows, kvHeads, capacity, headDim]: views owned by the step, no copy.
         */
        NDArray[] append(int layer, NDArray k, NDArray v) {
            keys[layer].set(write, k);
            values[layer].set(write, v);
            return new NDArray[] {rowsOf(keys[layer]), rowsOf(values[layer])};
        }

        private NDArray rowsOf(NDArray a) {
            return read == null ? Tensors.viewIn(a, step) : a.get(step, read);
        }
    }

    /** Every row's length grows by the token the step wrote. */
    void advance() {
        for (int i = 0; i < rows; i++) lengths[i]++;
    }

    /**
     * Makes room for {@code length} positions per slot. Grows by a quarter (at least 16): every step attends over the
     * whole capacity, so headroom costs attention work, and each growth copies the cache once.
     */
    private void reserve(int length) {
        if (length <= capacity) return;
        int grown = Math.max(length, capacity + Math.max(16, capacity / 4));
        Shape shape = new Shape(slots, kvHeads, grown, headDim);
        NDIndex old = new NDIndex(":, :, :" + capacity);
        for (NDArray[] kv : new NDArray[][] {keys, values}) {
            for (int l = 0; l < kv.length; l++) {
                NDArray bigger = manager.zeros(shape, type);
                if (kv[l] != null) {
                    bigger.set(old, kv[l]);
                    kv[l].close();
                }
                kv[l] = bigger;
            }
        }
        capacity = grown;
    }

    @Override
    public void close() {
        manager.close();
    }
}
