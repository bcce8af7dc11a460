package dev.tokenreduce.core.op;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.policy.HookPoint;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the host model hands an operator besides the tokens: where it runs, the forward pass's NDManager, a seed,
 * and optional signals only some methods need (the vision encoder's [CLS] attention, attention keys, ...).
 * Signals are looked up by the well-known names below so operators never reach into a model.
 */
public final class StepContext {

    /** (B, visual) float: [CLS] attention of the visual tokens in the feature layer, averaged over heads. */
    public static final String CLS_ATTENTION = "cls-attention";
    /** (B, L, d_head) float: attention keys averaged over heads (ToMe's metric). */
    public static final String KEY_METRIC = "key-metric";

    private final HookPoint at;
    private final NDManager manager;
    private final long seed;
    private final boolean checkFinite;
    private final Map<String, Object> signals;
    private final int layerIndex;

    private StepContext(HookPoint at, NDManager manager, long seed, boolean checkFinite, Map<String, Object> signals,
            int layerIndex) {
        this.at = at;
        this.layerIndex = layerIndex;
        this.manager = manager;
        this.seed = seed;
        this.checkFinite = checkFinite;
        this.signals = Collections.unmodifiableMap(new HashMap<>(signals));
    }

    /** A context with no signals, seed 0 and input checks on. */
    public static StepContext of(HookPoint at, NDManager manager) {
        return builder(at, manager).build();
    }

    public static Builder builder(HookPoint at, NDManager manager) {
        return new Builder(at, manager);
    }

    public HookPoint at() {
        return at;
    }

    /** The NDManager of the current forward pass: operators create their temporaries here. */
    public NDManager manager() {
        return manager;
    }

    /** Seed for operators with randomness; the same seed gives the same selection. */
    public long seed() {
        return seed;
    }

    /** Whether operators check their inputs for NaN/Inf (one reduction on the device per step). */
    public boolean checkFinite() {
        return checkFinite;
    }

    /**
     * For steps that run inside every block or layer ({@link HookPoint.EveryBlock}, {@link HookPoint.Decoder}): the
     * 0-based index of the block/layer being run; −1 elsewhere.
     */
    public int layerIndex() {
        return layerIndex;
    }

    /** An optional signal by name. */
    public Optional<NDArray> signal(String name) {
        Object v = signals.get(name);
        return v instanceof NDArray a ? Optional.of(a) : Optional.empty();
    }

    /** A signal the operator cannot work without; a clear error naming the operator otherwise. */
    public NDArray requireSignal(String name, String operator) {
        return signal(name).orElseThrow(() -> new InvalidInputException(operator + " needs '" + name
                + "' from the host model at " + at + ", which does not provide it"));
    }

    /** Builder for a {@link StepContext}. */
    public static final class Builder {
        private final HookPoint at;
        private final NDManager manager;
        private long seed;
        private boolean checkFinite = true;
        private final Map<String, Object> signals = new HashMap<>();
        private int layerIndex = -1;

        private Builder(HookPoint at, NDManager manager) {
            this.at = at;
            this.manager = manager;
        }

        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder optCheckFinite(boolean check) {
            this.checkFinite = check;
            return this;
        }

        public Builder optLayerIndex(int index) {
            this.layerIndex = index;
            return this;
        }

        public Builder optSignal(String name, NDArray value) {
            if (value != null) {
                signals.put(name, value);
            }
            return this;
        }

        public StepContext build() {
            return new StepContext(at, manager, seed, checkFinite, signals, layerIndex);
        }
    }
}
