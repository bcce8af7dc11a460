package dev.tokenreduce.core;

/**
 * How many tokens to keep: an absolute count or a ratio of the tokens present. One type for every method.
 *
 * <p>A ratio resolves to {@code round(ratio · n)}, at least 1. A count larger than the tokens present is an
 * error rather than a silent "keep all", so a policy written for a bigger model does not quietly do nothing.
 */
public final class Budget {

    private final Integer count;
    private final Double ratio;

    private Budget(Integer count, Double ratio) {
        this.count = count;
        this.ratio = ratio;
    }

    /** Keep exactly {@code count} tokens. */
    public static Budget count(int count) {
        if (count < 1) {
            throw new InvalidInputException("budget must keep at least 1 token, got " + count);
        }
        return new Budget(count, null);
    }

    /** Keep {@code round(ratio · n)} tokens (at least 1); ratio in (0, 1]. */
    public static Budget ratio(double ratio) {
        if (!(ratio > 0 && ratio <= 1)) {
            throw new InvalidInputException("budget ratio must be in (0, 1], got " + ratio);
        }
        return new Budget(null, ratio);
    }

    /**
     * Reads a budget from a policy value: an integer is a count, a number with a fraction (or below 1) a ratio.
     * {@code 16} keeps 16 tokens, {@code 0.1} keeps 10 %, {@code 1.0} keeps all.
     */
    public static Budget of(Number value) {
        if (value == null) {
            throw new InvalidInputException("budget missing");
        }
        double v = value.doubleValue();
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            throw new InvalidInputException("budget must be finite, got " + v);
        }
        boolean integral = value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof java.math.BigInteger;
        if (integral && v >= 1) {
            if (v > Integer.MAX_VALUE) {
                throw new InvalidInputException("budget count too large: " + value);
            }
            return count((int) v);
        }
        if (integral) {
            throw new InvalidInputException("budget must keep at least 1 token, got " + value);
        }
        if (v > 1 && v == Math.rint(v)) {
            return count((int) v);
        }
        return ratio(v);
    }

    /**
     * The number of tokens to keep out of {@code n}.
     *
     * @throws InvalidInputException when n is 0 or a count exceeds n
     */
    public int resolve(int n) {
        if (n < 1) {
            throw new InvalidInputException("no tokens to select from (n = " + n + ")");
        }
        if (count != null) {
            if (count > n) {
                throw new InvalidInputException("budget keeps " + count + " tokens but only " + n + " are present");
            }
            return count;
        }
        return (int) Math.max(1, Math.min(n, Math.round(ratio * n)));
    }

    public boolean isRatio() {
        return ratio != null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Budget b && java.util.Objects.equals(count, b.count) && java.util.Objects.equals(ratio, b.ratio);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(count, ratio);
    }

    @Override
    public String toString() {
        return count != null ? Integer.toString(count) : Double.toString(ratio);
    }
}
