package dev.tokenreduce.eval.flops;

/**
 * Building blocks every counter uses, with the conventions for the element-wise part written down once.
 *
 * <p>Matrix products: 2 FLOPs per multiply-add. Element-wise conventions ("other"): LayerNorm/RMSNorm
 * {@value #NORM_PER_ELEMENT} per element (mean, variance, normalise, scale, shift), softmax
 * {@value #SOFTMAX_PER_ELEMENT} per score (scale, max, subtract-exp, sum, divide), GELU/SiLU
 * {@value #ACTIVATION_PER_ELEMENT} per element, bias and residual adds 1 per element.
 */
public final class Flops {

    /** FLOPs per element of a LayerNorm/RMSNorm with affine parameters. */
    public static final int NORM_PER_ELEMENT = 5;
    /** FLOPs per attention score for scaling and softmax. */
    public static final int SOFTMAX_PER_ELEMENT = 5;
    /** FLOPs per element of GELU / SiLU. */
    public static final int ACTIVATION_PER_ELEMENT = 8;

    private Flops() {}

    /** A linear layer on {@code n} tokens, {@code in → out}: 2·n·in·out, plus n·out for the bias if present. */
    public static FlopCount linear(long n, long in, long out, boolean bias) {
        long mm = mul(2, n, in, out);
        return new FlopCount(mm, bias ? mul(n, out) : 0);
    }

    /**
     * Attention matrix products for {@code n} queries over {@code keys} keys at width {@code c} (all heads):
     * 2·n·keys·c for QKᵀ and as much again for the weighted sum of values; softmax over heads·n·keys scores as
     * "other".
     */
    public static FlopCount attention(long n, long keys, long c, long heads) {
        return new FlopCount(mul(4, n, keys, c), mul(SOFTMAX_PER_ELEMENT, heads, n, keys));
    }

    /** A norm over {@code n} tokens of width {@code c}. */
    public static FlopCount norm(long n, long c) {
        return FlopCount.other(mul(NORM_PER_ELEMENT, n, c));
    }

    /** An activation over {@code elements} values. */
    public static FlopCount activation(long elements) {
        return FlopCount.other(mul(ACTIVATION_PER_ELEMENT, elements));
    }

    /** Element-wise adds (residuals, position embeddings) over {@code elements} values. */
    public static FlopCount adds(long elements) {
        return FlopCount.other(elements);
    }

    /** Overflow-checked product. */
    static long mul(long... factors) {
        long p = 1;
        for (long f : factors) {
            p = Math.multiplyExact(p, f);
        }
        return p;
    }
}
