package dev.tokenreduce.pruning.transprune;

import java.util.Locale;

/** How the direction change enters the token transition variation. */
public enum TtvDirection {

    /** {@code exp(1 − cos)}: the official code (a reversal counts more than a right angle). */
    CODE,

    /** {@code exp(1 − |cos|)}: the paper's form (a reversal counts like no change). */
    ABS;

    /** The policy word: {@code code} or {@code abs}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code code} / {@code abs} (case-insensitive). */
    public static TtvDirection parse(String word) {
        return valueOf(word.trim().toUpperCase(Locale.ROOT));
    }
}
