package dev.tokenreduce.pruning;

import java.util.Locale;

/** What happens to decoder position ids when tokens are removed from the sequence. */
public enum PositionIds {

    /** Every remaining token keeps its original position id (FastV's and ToDRE's behaviour). */
    KEEP,

    /** Position ids are renumbered 0..len−1 after the removal (TransPrune's official code). */
    RENUMBER;

    /** The policy word: {@code keep} or {@code renumber}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code keep} / {@code renumber} (case-insensitive). */
    public static PositionIds parse(String word) {
        return valueOf(word.trim().toUpperCase(Locale.ROOT));
    }
}
