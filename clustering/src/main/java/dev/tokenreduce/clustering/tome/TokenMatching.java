package dev.tokenreduce.clustering.tome;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.Tensors;
import dev.tokenreduce.core.token.IndexRestoration;

/**
 * One ToMe matching (made by {@link BipartiteSoftMatching#match}): merges tensors aligned with the matched sequence
 * and maps merged tensors back.
 *
 * <p>The sequence is the protected prefix followed by the span of mergeable tokens. Within the span, set A holds the
 * tokens at even sequence positions and set B those at odd ones; a merge outputs the prefix, then the unmerged A
 * tokens (in sequence order when there is a protected prefix, i.e. a class token; otherwise in descending order of
 * their best similarity, as the reference does), then every B token with its merged A tokens added in. With a CLS
 * and a distillation token this is exactly the reference order {@code [cls, dist, unm[1:], dst[1:]]}.
 *
 * <p>Span-level methods ({@code *Span}) take and return only the mergeable tokens; the others take the whole
 * sequence. All work is vectorised on the arrays' device; the indices live in the metric's NDManager.
 */
public final class TokenMatching {

    private final int prefix;
    private final int span;
    private final int aStart;
    private final int requestedR;
    private final int r;
    private final int sizeA;
    private final int sizeB;
    private final long batch;
    private final NDManager manager;
    private final NDArray unmergedIndex;
    private final NDArray mergedIndex;
    private final NDArray destinationIndex;
    private NDArray sourceIndex;

    TokenMatching(int prefix, int span, int aStart, int requestedR, int r, NDArray unmergedIndex,
            NDArray mergedIndex, NDArray destinationIndex) {
        this.prefix = prefix;
        this.span = span;
        this.aStart = aStart;
        this.requestedR = requestedR;
        this.r = r;
        this.sizeA = (span - aStart + 1) / 2;
        this.sizeB = span - sizeA;
        this.batch = mergedIndex.getShape().get(0);
        this.manager = mergedIndex.getManager();
        this.unmergedIndex = unmergedIndex;
        this.mergedIndex = mergedIndex;
        this.destinationIndex = destinationIndex;
    }

    private TokenMatching(NDManager manager, long batch, int prefix, int span, int requestedR) {
        this.prefix = prefix;
        this.span = span;
        this.aStart = prefix % 2;
        this.requestedR = requestedR;
        this.r = 0;
        this.sizeA = (span - aStart + 1) / 2;
        this.sizeB = span - sizeA;
        this.batch = batch;
        this.manager = manager;
        this.unmergedIndex = null;
        this.mergedIndex = null;
        this.destinationIndex = null;
    }

    /** A matching that merges nothing (r clipped to 0): merges return their input unchanged. */
    static TokenMatching identity(NDManager manager, long batch, int prefix, int span, int requestedR) {
        return new TokenMatching(manager, batch, prefix, span, requestedR);
    }

    /** Protected prefix tokens (never merged). */
    public int protectedPrefix() {
        return prefix;
    }

    /** The r that was asked for. */
    public int requestedR() {
        return requestedR;
    }

    /** The r applied: min(requested, (N − protected) / 2). */
    public int r() {
        return r;
    }

    /** Tokens of the matched sequence (prefix + span). */
    public int inputTokens() {
        return prefix + span;
    }

    /** Tokens after a merge (prefix + span − r). */
    public int outputTokens() {
        return prefix + span - r;
    }

    /** Mergeable tokens before the merge. */
    public int spanTokens() {
        return span;
    }

    /** Mergeable tokens after the merge. */
    public int mergedSpanTokens() {
        return span - r;
    }

    /** (B, |A| − r) int64: the A tokens that stay, as indices into A (output order); {@code null} if r = 0. */
    public NDArray unmergedIndex() {
        return unmergedIndex;
    }

    /** (B, r) int64: the A tokens that merge, as indices into A, best match first; {@code null} if r = 0. */
    public NDArray mergedIndex() {
        return mergedIndex;
    }

    /** (B, r) int64: for each merging A token, the index into B of the token it merges into; {@code null} if r = 0. */
    public NDArray destinationIndex() {
        return destinationIndex;
    }

    /**
     * Sums the tokens of the whole sequence per destination (the reference's {@code merge(x, mode="sum")}).
     *
     * @param x (B, N, C) aligned with the matched sequence
     * @return (B, N − r, C)
     */
    public NDArray merge(NDArray x) {
        checkAligned(x, inputTokens(), "tokens");
        return withPrefix(x, mergeSpan(spanOf(x)));
    }

    /**
     * Sums the mergeable tokens per destination.
     *
     * @param x (B, span, C) the mergeable tokens only
     * @return (B, span − r, C): unmerged A tokens, then B tokens with their merged A tokens added
     */
    public NDArray mergeSpan(NDArray x) {
        checkAligned(x, span, "span tokens");
        if (r == 0) {
            return x;
        }
        long c = x.getShape().get(2);
        NDArray a = x.get(new NDIndex(":, {}::2", aStart));
        NDArray b = x.get(new NDIndex(":, {}::2", 1 - aStart));
        NDArray unm = a.gather(unmergedIndex.expandDims(2).broadcast(new Shape(batch, sizeA - r, c)), 1);
        NDArray src = a.gather(mergedIndex.expandDims(2).broadcast(new Shape(batch, r, c)), 1);
        // scatter-add of the r sources into B as one (nB × r) one-hot product: DJL has no scatter_reduce.
        NDArray oneHot = Tensors.arangeLong(manager, 0, sizeB).reshape(1, sizeB, 1)
                .eq(destinationIndex.expandDims(1)).toType(x.getDataType(), false); // (B, nB, r)
        NDArray dst = b.add(oneHot.matMul(src));
        return unm.concat(dst, 1);
    }

    /**
     * ToMe's {@code merge_wavg} on the whole sequence: tokens become the size-weighted mean of what they hold.
     *
     * @param x (B, N, C)
     * @param sizes (B, N, 1) sizes so far, or {@code null} for ones
     */
    public WeightedMerge mergeWeighted(NDArray x, NDArray sizes) {
        checkAligned(x, inputTokens(), "tokens");
        if (sizes != null) {
            checkSizes(sizes, inputTokens());
        }
        WeightedMerge spanMerge = mergeWeightedSpan(spanOf(x), sizes == null ? null : spanOf(sizes));
        NDArray allSizes = sizes != null ? sizes : ones(inputTokens(), x.getDataType());
        return new WeightedMerge(withPrefix(x, spanMerge.tokens()), withPrefix(allSizes, spanMerge.sizes()));
    }

    /**
     * {@code merge_wavg} on the mergeable tokens only.
     *
     * @param x (B, span, C)
     * @param sizes (B, span, 1), or {@code null} for ones
     * @return (B, span − r, C) tokens and (B, span − r, 1) sizes
     */
    public WeightedMerge mergeWeightedSpan(NDArray x, NDArray sizes) {
        checkAligned(x, span, "span tokens");
        NDArray s = sizes;
        if (s == null) {
            s = ones(span, x.getDataType());
        } else {
            checkSizes(s, span);
        }
        if (r == 0) {
            return new WeightedMerge(x, s);
        }
        NDArray mergedSizes = mergeSpan(s);
        // x · 1 is x exactly: skip one full pass over the tokens when every size is 1
        NDArray merged = mergeSpan(sizes == null ? x : x.mul(s)).div(mergedSizes);
        return new WeightedMerge(merged, mergedSizes);
    }

    /**
     * (B, span) int64: for each mergeable token before the merge, the index of the merged span token that holds it.
     * Counting the occurrences of each index gives the merged sizes (for unit input sizes).
     */
    public NDArray sourceIndex() {
        if (sourceIndex == null) {
            sourceIndex = computeSourceIndex();
        }
        return sourceIndex;
    }

    /** The unmerge as a core restoration (span level): each original token takes its merged token's value. */
    public IndexRestoration restoration() {
        return new IndexRestoration(sourceIndex(), mergedSpanTokens());
    }

    /**
     * Maps a tensor aligned with the merged sequence back to the matched sequence (the reference's unmerge).
     *
     * @param merged (B, N − r, C')
     * @return (B, N, C'): prefix unchanged, every span token takes the value of the merged token holding it
     */
    public NDArray unmerge(NDArray merged) {
        checkAligned(merged, outputTokens(), "merged tokens");
        NDArray spanPart = prefix == 0 ? merged : merged.get(new NDIndex(":, {}:", prefix));
        return withPrefix(merged, restoration().restore(spanPart));
    }

    private NDArray computeSourceIndex() {
        NDArray all = Tensors.arangeLong(manager, 0, span);
        if (r == 0) {
            return all.reshape(1, span).broadcast(new Shape(batch, span)).duplicate();
        }
        int kept = sizeA - r;
        // Output position of every A token, in A order: unmerged ones by their output slot, merged ones by the
        // slot of their destination (B tokens follow the kept A tokens).
        NDArray order = unmergedIndex.concat(mergedIndex, 1); // a permutation of A per row
        NDArray slots = Tensors.arangeLong(manager, 0, kept).reshape(1, kept).broadcast(new Shape(batch, kept))
                .concat(destinationIndex.add(kept), 1);
        NDArray aOut = slots.gather(order.argSort(1), 1);
        NDArray bOut = Tensors.arangeLong(manager, kept, kept + sizeB).reshape(1, sizeB)
                .broadcast(new Shape(batch, sizeB));
        NDArray bySet = aOut.concat(bOut, 1); // [A tokens, B tokens]
        // span index i sits at A[i / 2] when i has A's parity, else at B[i / 2]
        NDArray parity = all.mod(2);
        NDArray inSet = all.sub(parity).div(2).toType(DataType.INT64, false)
                .add(parity.neq(aStart).toType(DataType.INT64, false).mul(sizeA));
        return bySet.gather(inSet.reshape(1, span).broadcast(new Shape(batch, span)), 1);
    }

    private NDArray spanOf(NDArray x) {
        return prefix == 0 ? x : x.get(new NDIndex(":, {}:", prefix));
    }

    private NDArray withPrefix(NDArray full, NDArray spanPart) {
        return prefix == 0 ? spanPart : full.get(new NDIndex(":, :{}", prefix)).concat(spanPart, 1);
    }

    private NDArray ones(int tokens, DataType type) {
        return manager.ones(new Shape(batch, tokens, 1), type);
    }

    private void checkAligned(NDArray x, int tokens, String what) {
        Shape s = x.getShape();
        if (s.dimension() != 3 || s.get(0) != batch || s.get(1) != tokens) {
            throw new InvalidInputException(BipartiteSoftMatching.NAME + ": " + what + " must be (" + batch + ", "
                    + tokens + ", C) to match the metric, got " + s);
        }
        if (!x.getDataType().isFloating()) {
            throw new InvalidInputException(BipartiteSoftMatching.NAME + ": " + what
                    + " must be floating point, got " + x.getDataType());
        }
    }

    private void checkSizes(NDArray sizes, int tokens) {
        Shape s = sizes.getShape();
        if (s.dimension() != 3 || s.get(0) != batch || s.get(1) != tokens || s.get(2) != 1) {
            throw new InvalidInputException(BipartiteSoftMatching.NAME + ": sizes must be (" + batch + ", " + tokens
                    + ", 1), got " + s);
        }
    }
}
