package dev.tokenreduce.pruning.todre;

import java.util.Locale;

/** The greedy rule of ToDRE stage 1 (both start from the same pivot and use cosine similarity). */
public enum DiversityMode {

    /**
     * Greedy max-sum diversification (ToDRE v2, Algorithm 1): each step adds the token whose summed similarity to
     * the tokens chosen so far is smallest.
     */
    MAX_SUM("max-sum"),

    /**
     * Greedy k-center / farthest-first traversal (ToDRE v1, DivPrune): each step adds the token whose cosine
     * distance to its nearest chosen token is largest.
     */
    K_CENTER("k-center");

    private final String word;

    DiversityMode(String word) {
        this.word = word;
    }

    /** The policy word ({@code max-sum}, {@code k-center}). */
    public String word() {
        return word;
    }

    /** Parses a policy word (case-insensitive). */
    public static DiversityMode parse(String word) {
        String w = word.trim().toLowerCase(Locale.ROOT);
        for (DiversityMode m : values()) {
            if (m.word.equals(w)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown diversity mode '" + word + "'; known: max-sum, k-center");
    }
}
