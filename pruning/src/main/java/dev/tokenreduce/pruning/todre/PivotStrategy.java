package dev.tokenreduce.pruning.todre;

import java.util.Locale;

/**
 * How ToDRE stage 1 picks its first token. {@code center} and {@code farthest} measure in the same cosine space
 * the selection runs in: the mean direction is the mean of the unit-normalised tokens.
 */
public enum PivotStrategy {

    /** The token with the highest [CLS] attention (lowest index on ties): the paper's rule. */
    CLS,

    /** A uniformly random token, seeded (for encoders without [CLS]). */
    RANDOM,

    /** The token most similar (cosine) to the mean direction of all tokens. */
    CENTER,

    /** The token least similar (cosine) to the mean direction of all tokens. */
    FARTHEST;

    /** The policy word. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code cls | random | center | farthest} (case-insensitive). */
    public static PivotStrategy parse(String word) {
        return valueOf(word.trim().toUpperCase(Locale.ROOT));
    }
}
