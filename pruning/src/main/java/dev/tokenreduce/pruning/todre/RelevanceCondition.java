package dev.tokenreduce.pruning.todre;

import java.util.Locale;

/** Which attention ratios must fall below τ for ToDRE stage 2 to drop the visual tokens. */
public enum RelevanceCondition {

    /** Both α_t→v and α_v→t below τ (the paper's rule). */
    BOTH("both"),

    /** α_t→v below τ only (what the rule reduces to in a causal decoder, where α_v→t is 0). */
    TEXT_TO_VISUAL("text-to-visual");

    private final String word;

    RelevanceCondition(String word) {
        this.word = word;
    }

    /** The policy word. */
    public String word() {
        return word;
    }

    /** Parses {@code both | text-to-visual} (case-insensitive). */
    public static RelevanceCondition parse(String word) {
        String w = word.trim().toLowerCase(Locale.ROOT);
        for (RelevanceCondition c : values()) {
            if (c.word.equals(w)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown condition '" + word + "'; known: both, text-to-visual");
    }
}
