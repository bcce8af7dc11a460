package dev.tokenreduce.eval.flops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * How many tokens each layer (encoder block or decoder layer) of one forward pass sees: the tokens entering its
 * attention, the tokens entering its MLP (fewer when a method such as ToMe merges between the two), and the
 * tokens leaving the last layer. Counts include prefix tokens. Immutable.
 *
 * <p>Printed with every FLOPs figure ({@link #compact()} for one line, {@link #table()} per layer), because how
 * tokens were counted is what FLOPs claims are usually disputed over.
 */
public final class TokenSchedule {

    private final int[] attention;
    private final int[] mlp;
    private final int output;

    private TokenSchedule(int[] attention, int[] mlp, int output) {
        if (attention.length == 0) {
            throw new IllegalArgumentException("a token schedule needs at least one layer");
        }
        if (attention.length != mlp.length) {
            throw new IllegalArgumentException("attention and MLP token lists differ in length: " + attention.length
                    + " vs " + mlp.length);
        }
        for (int l = 0; l < attention.length; l++) {
            if (attention[l] < 1 || mlp[l] < 1) {
                throw new IllegalArgumentException("layer " + l + " has no tokens (attention " + attention[l]
                        + ", mlp " + mlp[l] + ")");
            }
        }
        if (output < 1) {
            throw new IllegalArgumentException("output tokens must be at least 1, got " + output);
        }
        this.attention = attention;
        this.mlp = mlp;
        this.output = output;
    }

    /** Every one of {@code layers} layers sees {@code tokens} tokens (the baseline). */
    public static TokenSchedule constant(int layers, int tokens) {
        int[] t = new int[layers];
        Arrays.fill(t, tokens);
        return of(t);
    }

    /**
     * {@code tokens} tokens for the first {@code alpha} layers, then {@code reduced} for the rest and at the output
     * (Expedit's hourglass: clustering after block α).
     */
    public static TokenSchedule reducedAfter(int layers, int tokens, int alpha, int reduced) {
        if (alpha < 0 || alpha > layers) {
            throw new IllegalArgumentException("reduction after " + alpha + " of " + layers + " layers");
        }
        int[] t = new int[layers];
        for (int l = 0; l < layers; l++) {
            t[l] = l < alpha ? tokens : reduced;
        }
        return new TokenSchedule(t, t.clone(), alpha == layers ? reduced : t[layers - 1]);
    }

    /** Tokens entering each layer; the output count is that of the last layer. */
    public static TokenSchedule of(int... tokensEnteringEachLayer) {
        int[] t = tokensEnteringEachLayer.clone();
        if (t.length == 0) {
            throw new IllegalArgumentException("a token schedule needs at least one layer");
        }
        return new TokenSchedule(t, t.clone(), t[t.length - 1]);
    }

    /** Per-layer attention and MLP counts and the output count (in-block reductions such as ToMe). */
    public static TokenSchedule of(int[] attentionTokens, int[] mlpTokens, int outputTokens) {
        return new TokenSchedule(attentionTokens.clone(), mlpTokens.clone(), outputTokens);
    }

    /** The same per-layer counts with a different output count (a reduction after the last layer). */
    public TokenSchedule withOutput(int outputTokens) {
        return new TokenSchedule(attention, mlp, outputTokens);
    }

    public int layers() {
        return attention.length;
    }

    /** Tokens entering layer {@code l} (0-based): its attention's queries and keys. */
    public int attentionTokens(int l) {
        return attention[l];
    }

    /** Tokens entering the MLP of layer {@code l} (0-based). */
    public int mlpTokens(int l) {
        return mlp[l];
    }

    /** Tokens leaving the last layer (what the final norm and the head see). */
    public int outputTokens() {
        return output;
    }

    /** Tokens entering each layer, a copy. */
    public int[] tokensPerLayer() {
        return attention.clone();
    }

    /** Whether some layer reduces tokens between its attention and its MLP. */
    public boolean hasInBlockReduction() {
        return !Arrays.equals(attention, mlp);
    }

    /**
     * Runs of consecutive layers with the same counts.
     *
     * @return stages in order; their layer counts add up to {@link #layers()}
     */
    public List<Stage> stages() {
        List<Stage> out = new ArrayList<>();
        int start = 0;
        for (int l = 1; l <= attention.length; l++) {
            if (l == attention.length || attention[l] != attention[start] || mlp[l] != mlp[start]) {
                out.add(new Stage(start, l - start, attention[start], mlp[start]));
                start = l;
            }
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * One line: {@code "1601×10 → 785×14"} (tokens × layers per stage), with the output count appended when it
     * differs from the last stage ({@code "… ⇒ 49"}), and in-block reductions shown as {@code attn/mlp}.
     */
    public String compact() {
        StringBuilder sb = new StringBuilder();
        for (Stage s : stages()) {
            if (sb.length() > 0) {
                sb.append(" → ");
            }
            sb.append(s.attentionTokens());
            if (s.mlpTokens() != s.attentionTokens()) {
                sb.append('/').append(s.mlpTokens());
            }
            sb.append('×').append(s.layers());
        }
        if (output != mlp[mlp.length - 1]) {
            sb.append(" ⇒ ").append(output);
        }
        return sb.toString();
    }

    /** One line per layer ({@code layer  attention  mlp}) and a last line for the output. */
    public String table() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%6s %10s %10s%n", "layer", "attention", "mlp"));
        for (int l = 0; l < attention.length; l++) {
            sb.append(String.format(Locale.ROOT, "%6d %10d %10d%n", l, attention[l], mlp[l]));
        }
        sb.append(String.format(Locale.ROOT, "%6s %10d%n", "output", output));
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenSchedule t && Arrays.equals(attention, t.attention) && Arrays.equals(mlp, t.mlp)
                && output == t.output;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(attention) + Arrays.hashCode(mlp)) + output;
    }

    @Override
    public String toString() {
        return compact();
    }

    /**
     * Consecutive layers with equal counts.
     *
     * @param firstLayer 0-based index of the first layer
     * @param layers how many layers
     * @param attentionTokens tokens entering their attention
     * @param mlpTokens tokens entering their MLP
     */
    public record Stage(int firstLayer, int layers, int attentionTokens, int mlpTokens) {}
}
