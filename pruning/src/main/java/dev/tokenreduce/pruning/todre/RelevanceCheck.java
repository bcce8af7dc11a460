package dev.tokenreduce.pruning.todre;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.op.Inputs;
import dev.tokenreduce.core.token.TokenLayout;
import dev.tokenreduce.pruning.AttentionRows;

/**
 * ToDRE stage 2's relevance test on one decoder layer's attention, for a sequence laid out
 * [S = prefix/system, V = visual, T = suffix/text]: the ratios of {@link RelevanceRatios} and the decision to drop
 * every visual token when they are below τ.
 *
 * <p>{@link #ratios} computes only the attention rows the sums need, from the layer's queries and keys with the
 * causal mask, heads averaged: the |T| text query rows for α_t→v. For α_v→t the visual query rows would be needed,
 * but a visual row i sees keys 0..i only and every text key comes after every visual token, so each of those rows
 * puts probability exactly 0 on the text: α_v→t = 0 exactly, with no attention computed, and the rule reduces to
 * α_t→v &lt; τ, as the spec notes. {@link #fromProbabilities} evaluates both sums literally on a full map (any mask).
 */
public final class RelevanceCheck {

    /** τ used when a policy gives none. */
    public static final double DEFAULT_TAU = 0.10;

    /** Upper bound of attention-probability elements per block of text rows (64 MB of float32). */
    static final long BLOCK_ELEMENTS = 1L << 24;

    private RelevanceCheck() {}

    /** The default check layer ⌊7L/8⌋ (1-based) of an L-layer decoder. */
    public static int defaultCheckLayer(int numLayers) {
        if (numLayers < 1) {
            throw new InvalidInputException("todre-relevance: a decoder needs at least 1 layer, got " + numLayers);
        }
        return Math.max(1, (7 * numLayers) / 8);
    }

    /**
     * The ratios from one layer's queries and keys.
     *
     * @param queries (B, H, L, d_head) after RoPE
     * @param keys (B, H_kv, L, d_head) after RoPE (H a multiple of H_kv)
     * @param layout the sequence layout; L = layout.total()
     */
    public static RelevanceRatios ratios(NDArray queries, NDArray keys, TokenLayout layout) {
        String who = TodreRelevanceOperator.ID;
        long length = layout.total();
        if (queries.getShape().dimension() != 4 || queries.getShape().get(2) != length) {
            throw new InvalidInputException(who + ": queries must be (B, heads, " + length + ", d_head) for layout "
                    + layout + ", got " + queries.getShape());
        }
        if (keys.getShape().dimension() != 4 || keys.getShape().get(2) != length) {
            throw new InvalidInputException(who + ": keys must be (B, kv_heads, " + length + ", d_head) for layout "
                    + layout + ", got " + keys.getShape());
        }
        Inputs.requireFinite(queries, who, "queries");
        Inputs.requireFinite(keys, who, "keys");
        int batch = (int) queries.getShape().get(0);
        long prefix = layout.prefix();
        long firstText = prefix + layout.visual();
        double[] tv = new double[batch];
        double[] vt = new double[batch];
        if (layout.suffix() == 0 || layout.visual() == 0) {
            java.util.Arrays.fill(tv, Double.NaN);
            java.util.Arrays.fill(vt, Double.NaN);
            return new RelevanceRatios(tv, vt);
        }
        // α_t→v: the |T| text rows against all keys, in blocks of rows to bound the memory of one block.
        long heads = queries.getShape().get(1);
        long rowsPerBlock = Math.max(1, BLOCK_ELEMENTS / Math.max(1, batch * heads * length));
        for (long from = firstText; from < length; from += rowsPerBlock) {
            long to = Math.min(length, from + rowsPerBlock);
            NDArray rows = AttentionRows.probabilities(queries.get(":, :, {}:{}, :", from, to), keys, from, who);
            double[] mass = groupMass(rows, prefix, firstText, layout.suffix());
            for (int b = 0; b < batch; b++) {
                tv[b] += mass[b];
            }
        }
        // α_v→t: visual query row i sees keys 0..i only, and every text key comes after every visual row, so the
        // causal mask gives each visual row a text mass of exactly 0; no visual row has to be evaluated.
        java.util.Arrays.fill(vt, 0.0);
        return new RelevanceRatios(tv, vt);
    }

    /**
     * The ratios from a full attention-probability map (hosts that already have it, and tests).
     *
     * @param attention (B, H, L, L) or (B, L, L) softmax probabilities (rows = queries)
     */
    public static RelevanceRatios fromProbabilities(NDArray attention, TokenLayout layout) {
        NDArray a = attention.getShape().dimension() == 3 ? attention : attention.mean(new int[] {1});
        long length = layout.total();
        if (a.getShape().dimension() != 3 || a.getShape().get(1) != length || a.getShape().get(2) != length) {
            throw new InvalidInputException(TodreRelevanceOperator.ID + ": attention must be (B, [H,] " + length + ", "
                    + length + ") for layout " + layout + ", got " + attention.getShape());
        }
        int batch = (int) a.getShape().get(0);
        long p = layout.prefix();
        long t0 = p + layout.visual();
        double[] tv = new double[batch];
        double[] vt = new double[batch];
        float[] textMass = a.get(":, {}:, {}:{}", t0, p, t0).toType(DataType.FLOAT32, false)
                .sum(new int[] {1, 2}).toFloatArray();
        float[] visualMass = a.get(":, {}:{}, {}:", p, t0, t0).toType(DataType.FLOAT32, false)
                .sum(new int[] {1, 2}).toFloatArray();
        for (int b = 0; b < batch; b++) {
            tv[b] = layout.suffix() == 0 ? Double.NaN : textMass[b] / layout.suffix();
            vt[b] = layout.visual() == 0 ? Double.NaN : visualMass[b] / layout.visual();
        }
        return new RelevanceRatios(tv, vt);
    }

    /**
     * Σ over rows of the probability mass on key columns [from, to), averaged over heads, divided by
     * {@code divisor}: (B).
     */
    private static double[] groupMass(NDArray probs, long from, long to, long divisor) {
        float[] mass = probs.get(":, :, :, {}:{}", from, to).sum(new int[] {2, 3}).mean(new int[] {1}).toFloatArray();
        double[] out = new double[mass.length];
        for (int b = 0; b < mass.length; b++) {
            out[b] = (double) mass[b] / divisor;
        }
        return out;
    }
}
