package dev.tokenreduce.vit;

import dev.tokenreduce.core.InvalidInputException;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Per-call options of {@link VisionEncoder#encode(ai.djl.ndarray.NDArray, dev.tokenreduce.core.policy.Policy,
 * ai.djl.ndarray.NDManager, EncodeOptions)}: which intermediate outputs to keep, the seed handed to operators,
 * whether inputs are checked for NaN/Inf, and whether the reduced tokens are restored to the full grid.
 */
public final class EncodeOptions {

    /** Name of the embeddings output (the input of block 0). */
    public static final String EMBEDDINGS = "embeddings";
    /** Name of the output of all tokens after the final norm. */
    public static final String FINAL = "final";

    private static final EncodeOptions DEFAULTS = builder().build();

    private final Set<String> record;
    private final boolean recordAll;
    private final long seed;
    private final boolean checkInputs;
    private final boolean reconstruct;

    private EncodeOptions(Builder b) {
        this.record = Collections.unmodifiableSet(new LinkedHashSet<>(b.record));
        this.recordAll = b.recordAll;
        this.seed = b.seed;
        this.checkInputs = b.checkInputs;
        this.reconstruct = b.reconstruct;
    }

    /** Nothing recorded, seed 0, inputs checked, reduced tokens restored. */
    public static EncodeOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The name of block {@code index}'s output (0-based). */
    public static String block(int index) {
        return "block." + index;
    }

    /** Whether {@code name} is to be kept. */
    public boolean records(String name) {
        return recordAll || record.contains(name);
    }

    public long seed() {
        return seed;
    }

    public boolean checkInputs() {
        return checkInputs;
    }

    public boolean reconstruct() {
        return reconstruct;
    }

    /** Fails naming the first requested output a model of {@code depth} blocks does not have. */
    void validate(int depth) {
        for (String name : record) {
            boolean ok = name.equals(EMBEDDINGS) || name.equals(FINAL);
            if (!ok && name.startsWith("block.")) {
                try {
                    int i = Integer.parseInt(name.substring(6));
                    ok = i >= 0 && i < depth;
                } catch (NumberFormatException e) {
                    ok = false;
                }
            }
            if (!ok) {
                throw new InvalidInputException("encode options: unknown intermediate '" + name + "'; this model has "
                        + EMBEDDINGS + ", block.0 ... block." + (depth - 1) + " and " + FINAL);
            }
        }
    }

    /** Builder in DJL style (all options optional). */
    public static final class Builder {
        private final Set<String> record = new LinkedHashSet<>();
        private boolean recordAll;
        private long seed;
        private boolean checkInputs = true;
        private boolean reconstruct = true;

        /** Keep these outputs: {@code embeddings}, {@code block.i} (0-based), {@code final}. */
        public Builder optRecord(String... names) {
            Collections.addAll(record, names);
            return this;
        }

        /** Keep the embeddings, every block's output and the final tokens. */
        public Builder optRecordAll() {
            recordAll = true;
            return this;
        }

        /** Seed for operators with randomness (the same seed gives the same selection). */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Check pixels and operator inputs for NaN/Inf (one device reduction each; on by default). */
        public Builder optCheckInputs(boolean check) {
            this.checkInputs = check;
            return this;
        }

        /** Restore the final visual tokens to the full grid when the state has a restoration (on by default). */
        public Builder optReconstruct(boolean reconstruct) {
            this.reconstruct = reconstruct;
            return this;
        }

        public EncodeOptions build() {
            return new EncodeOptions(this);
        }
    }
}
