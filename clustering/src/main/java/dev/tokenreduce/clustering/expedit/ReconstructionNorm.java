package dev.tokenreduce.clustering.expedit;

import dev.tokenreduce.core.InvalidInputException;
import java.util.Locale;

/** How each token's reconstruction weights are normalised. */
public enum ReconstructionNorm {

    /** Divide by the row's L2 norm, max(‖W_i‖₂, 1e−12): what the official code does (weights do not sum to 1). */
    L2,

    /** Divide by the row sum, max(Σ W_i, 1e−12): a convex combination of the clusters. */
    L1;

    /** Parses {@code l2} or {@code l1} (case-insensitive). */
    public static ReconstructionNorm parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        switch (t) {
            case "l2":
                return L2;
            case "l1":
                return L1;
            default:
                throw new InvalidInputException("reconstruction norm must be l2 or l1, got '" + text + "'");
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
