package dev.tokenreduce.vit.lvlm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * Keys and values of every decoder layer for one sequence, (B, kv_heads, entries, d_head) after the rotary
 * embedding. Layers may hold different numbers of entries: when a policy removes tokens after layer ℓ, layers
 * ≤ ℓ keep the entries they computed and layers after ℓ only ever see the shorter sequence, so every decoding step
 * appends one entry to each layer and attends over that layer's own entries. Arrays live in the generation's
 * manager; an append frees the entries it replaces.
 */
public final class KvCache {

    private final NDArray[] keys;
    private final NDArray[] values;
    private final NDManager manager;

    KvCache(int layers, NDManager manager) {
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
        this.manager = manager;
    }

    /** Appends {@code k}, {@code v} (B, kv_heads, n, d) to layer {@code layer} and returns the layer's keys and values. */
    NDArray[] append(int layer, NDArray k, NDArray v) {
        NDArray oldK = keys[layer];
        NDArray oldV = values[layer];
        NDArray newK = oldK == null ? k : NDArrays.concat(new NDList(oldK, k), 2);
        NDArray newV = oldV == null ? v : NDArrays.concat(new NDList(oldV, v), 2);
        newK.attach(manager);
        newV.attach(manager);
        keys[layer] = newK;
        values[layer] = newV;
        if (oldK != null) {
            oldK.close();
            oldV.close();
        }
        return new NDArray[] {newK, newV};
    }

    /** Decoder layers. */
    public int layers() {
        return keys.length;
    }

    /** Entries held by layer {@code layer} (0 before the prefill). */
    public long length(int layer) {
        return keys[layer] == null ? 0 : keys[layer].getShape().get(2);
    }

    /** Layer {@code layer}'s keys (B, kv_heads, entries, d_head), or {@code null} before the prefill. */
    public NDArray keys(int layer) {
        return keys[layer];
    }

    /** Layer {@code layer}'s values, or {@code null} before the prefill. */
    public NDArray values(int layer) {
        return values[layer];
    }
}
