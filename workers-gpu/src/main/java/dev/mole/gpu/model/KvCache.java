package dev.mole.gpu.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Keys and values of the tokens seen so far, per layer ([kvHeads, length, headDim], after rotary). Owned by its own
 * manager so per-step managers can close without freeing the cache; close it when the sequence is done.
 */
public final class KvCache implements AutoCloseable {
    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;
    private int length;

    KvCache(NDManager parent, int layers) {
        this.manager = parent.newSubManager();
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
    }

    /** Number of positions already cached: the next token's position. */
    public int length() {
        return length;
    }

    /** Appends this step's k/v for one layer and returns the full k/v (cache-owned). */
    NDArray[] append(int layer, NDArray k, NDArray v) {
        if (keys[layer] == null) {
            k.attach(manager);
            v.attach(manager);
            keys[layer] = k;
            values[layer] = v;
        } else {
            // concat attaches to its first operand's manager: the cache's
            NDArray nk = keys[layer].concat(k, 1);
            NDArray nv = values[layer].concat(v, 1);
            keys[layer].close();
            values[layer].close();
            keys[layer] = nk;
            values[layer] = nv;
        }
        return new NDArray[] {keys[layer], values[layer]};
    }

    void advance(int tokens) {
        length += tokens;
    }

    @Override
    public void close() {
        manager.close();
    }
}
