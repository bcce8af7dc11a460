package dev.tokenreduce.clustering.expedit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.SparseTensors;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Expedit's top-k reconstruction weights computed row by row on the host from the (U, N, M) squared distances of U
 * clustering units (batch entries or attention windows).
 *
 * <p>Same definition as the dense path of {@link ExpeditReconstruction} (float32 throughout, the exponential
 * rounded from double): {@code e = max(D, 0) − min}, {@code w = exp(−t·e)}, keep {@code w ≥} the k-th largest w
 * of the row, divide by the row's L2 norm or sum. Since w falls as D grows, the k-th largest w is the weight of the
 * k-th smallest D; every D at or below it is kept, and so is any larger D whose weight rounds to the same float (a
 * tie at the cut keeps more than k, as the dense definition does). The k-th smallest D is found among a few dozen
 * candidates: the distances below a guessed quantile of the row, the guess proven high enough by counting at least
 * k of them (one scan; a low guess is widened and the row scanned again).
 *
 * <p>Why on the host: on CPU the dense path is a dozen passes over the (N, M) matrix, a {@code topK} per row and a
 * dense-to-sparse conversion (4.5 ms for ViT-B/16 at 512², 1024 × 484, inside the forward) for a result of 20
 * entries per row; one read of the distances and two or three scans per row take under 2 ms on one core, and the
 * entries become a sparse matrix directly. The result is laid out block-diagonally, (U·N, U·M), so that one
 * 2-D sparse × dense product restores every unit (libtorch's batched sparse product coalesces its input first).
 */
final class HostTopKWeights {

    /** Guesses of the candidate threshold before a row is taken whole. */
    private static final int MAX_GUESSES = 6;

    /**
     * Units read at a time (about 4 M floats, 16 MB): a view's int indices stay in range, and where the engine has to
     * copy instead of giving a view, the copy stays small.
     */
    private static final long CHUNK_FLOATS = 1L << 22;

    /**
     * Row u·N + i and column u·M + j of each kept weight, the (U·N, U·M) block-diagonal layout: the first
     * {@link #size} entries of the builder's buffers (used as they are, not trimmed into copies).
     */
    final long[] rows;

    final long[] cols;
    final float[] values;
    final int size;
    final int units;
    final int n;
    final int m;

    private HostTopKWeights(long[] rows, long[] cols, float[] values, int size, int units, int n, int m) {
        this.rows = rows;
        this.cols = cols;
        this.values = values;
        this.size = size;
        this.units = units;
        this.n = n;
        this.m = m;
    }

    /**
     * @param distances (U, N, M) float32 squared distances, finite
     * @param k 1 ≤ k ≤ M
     */
    static HostTopKWeights compute(NDArray distances, int k, float temperature, ReconstructionNorm norm) {
        Shape shape = distances.getShape();
        int units = Math.toIntExact(shape.get(0));
        int n = Math.toIntExact(shape.get(1));
        int m = Math.toIntExact(shape.get(2));
        long perUnit = (long) n * m;
        RowWeights rowWeights = new RowWeights(m, k, temperature, norm, (long) units * n * k);
        float[] row = new float[m];
        int perChunk = (int) Math.max(1, CHUNK_FLOATS / Math.max(1L, perUnit));
        for (int from = 0; from < units; from += perChunk) {
            int to = Math.min(units, from + perChunk);
            NDArray chunk = from == 0 && to == units ? distances : distances.get(new NDIndex("{}:{}", from, to));
            // A view of the tensor's memory where the engine gives one, read row by row into one scratch row: no
            // copies of the whole matrix into fresh arrays (toFloatArray made two, 0.5–0.8 ms of the ViT-B/16
            // 512² forward against ~0.1 ms for the row copies). The distances stay alive and unchanged meanwhile.
            FloatBuffer d = chunk.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer();
            for (int u = from; u < to; u++) {
                for (int i = 0; i < n; i++) {
                    d.get((int) ((u - from) * perUnit + (long) i * m), row, 0, m);
                    rowWeights.row(row, 0, (long) u * n + i, (long) u * m);
                }
            }
        }
        return rowWeights.entries(units, n, m);
    }

    /** The weights as a (U·N, U·M) block-diagonal sparse COO array in {@code manager}. */
    NDArray toSparse(NDManager manager) {
        return SparseTensors.coo(manager, new long[][] {rows, cols}, values, size,
                new Shape((long) units * n, (long) units * m));
    }

    /** The weights as a dense (U, N, M) array in {@code manager}. */
    NDArray toDense(NDManager manager) {
        float[] dense = new float[Math.toIntExact((long) units * n * m)];
        for (int e = 0; e < size; e++) {
            long u = rows[e] / n;
            dense[Math.toIntExact(rows[e] * m + cols[e] - u * m)] = values[e];
        }
        return manager.create(dense, new Shape(units, n, m));
    }

    /**
     * Standard normal quantile for 0 &lt; p ≤ 0.5 (Abramowitz and Stegun 26.2.23, error below 5e-4): only a first
     * guess, every threshold is verified by counting.
     */
    static double normalQuantile(double p) {
        double t = Math.sqrt(-2 * Math.log(p));
        return -(t - (2.515517 + 0.802853 * t + 0.010328 * t * t)
                / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t));
    }

    /** Computes rows with its own scratch space (one thread: the cores are libtorch's, whose pool may still spin). */
    private static final class RowWeights {
        private final int m;
        private final int k;
        private final float negT;
        private final boolean l2;
        /**
         * z of the first guess at the row's (1.4k/M)-quantile: about 1.4k candidates, rarely fewer than k (iid rows,
         * 1024 × 484, k 20: 1.6 ms, against 2.15 ms guessing at 2k/M, whose larger candidate sets cost more to select
         * from).
         */
        private final double quantileGuess;
        /** Columns and distances of the current row's candidates, in column order. */
        private final int[] candidates;
        private final float[] candidateDistances;
        private final float[] scratch;
        private final int[] keptColumns;
        private final float[] keptWeights;

        private long[] rows;
        private long[] cols;
        private float[] values;
        private int size;

        RowWeights(int m, int k, float temperature, ReconstructionNorm norm, long expected) {
            int capacity = (int) Math.min(expected + 16, Integer.MAX_VALUE - 8);
            this.rows = new long[capacity];
            this.cols = new long[capacity];
            this.values = new float[capacity];
            this.m = m;
            this.k = k;
            this.negT = -temperature;
            this.l2 = norm == ReconstructionNorm.L2;
            this.quantileGuess = normalQuantile(Math.min(0.5, 1.4 * k / m));
            this.candidates = new int[m];
            this.candidateDistances = new float[m];
            this.scratch = new float[m];
            this.keptColumns = new int[m];
            this.keptWeights = new float[m];
        }

        HostTopKWeights entries(int units, int n, int m) {
            return new HostTopKWeights(rows, cols, values, size, units, n, m);
        }

        private void ensureCapacity(int needed) {
            if (needed > rows.length) {
                int grown = Math.max(needed, rows.length + (rows.length >> 1));
                rows = Arrays.copyOf(rows, grown);
                cols = Arrays.copyOf(cols, grown);
                values = Arrays.copyOf(values, grown);
            }
        }

        /** The weights of the row at {@code d[base .. base + M)}, as entries of {@code row}, columns from colBase. */
        void row(float[] d, int base, long row, long colBase) {
            // Row statistics; four partial sums because a single float sum is one serial chain.
            float min0 = Float.POSITIVE_INFINITY;
            float min1 = Float.POSITIVE_INFINITY;
            float s0 = 0;
            float s1 = 0;
            float s2 = 0;
            float s3 = 0;
            float q0 = 0;
            float q1 = 0;
            float q2 = 0;
            float q3 = 0;
            int j = 0;
            for (; j + 3 < m; j += 4) {
                float v0 = d[base + j];
                float v1 = d[base + j + 1];
                float v2 = d[base + j + 2];
                float v3 = d[base + j + 3];
                s0 += v0;
                s1 += v1;
                s2 += v2;
                s3 += v3;
                q0 += v0 * v0;
                q1 += v1 * v1;
                q2 += v2 * v2;
                q3 += v3 * v3;
                min0 = Math.min(min0, Math.min(v0, v1));
                min1 = Math.min(min1, Math.min(v2, v3));
            }
            for (; j < m; j++) {
                float v = d[base + j];
                s0 += v;
                q0 += v * v;
                min0 = Math.min(min0, v);
            }
            float min = Math.max(Math.min(min0, min1), 0f);
            double mean = ((double) s0 + s1 + s2 + s3) / m;
            double sd = Math.sqrt(Math.max(0, ((double) q0 + q1 + q2 + q3) / m - mean * mean));
            // Candidates: every distance at or below a guess u of the row's (1.4k/M)-quantile (normal approximation).
            // At least k of them prove u ≥ the k-th smallest, so the k-th smallest is the k-th of the candidates;
            // fewer, and the guess was low: widen and scan again (the last guess takes the whole row).
            double z = quantileGuess;
            float u;
            int c;
            for (int attempt = 0;; attempt++) {
                u = attempt >= MAX_GUESSES ? Float.POSITIVE_INFINITY : (float) (mean + z * sd);
                c = 0;
                // a plain branch: taken for ~1.4k/M of the entries and well predicted (3x faster here than a
                // branch-free compaction, whose every store waits on the running count)
                for (j = 0; j < m; j++) {
                    if (d[base + j] <= u) {
                        candidates[c++] = j;
                    }
                }
                if (c >= k) {
                    break;
                }
                z += 0.75;
            }
            for (int q = 0; q < c; q++) {
                candidateDistances[q] = Math.max(d[base + candidates[q]], 0f);
            }
            System.arraycopy(candidateDistances, 0, scratch, 0, c);
            float kth = select(scratch, c, k - 1);
            float cutLogit = (kth - min) * negT;
            float cut = (float) Math.exp(cutLogit);
            // A distance above the k-th can only tie with it (its weight rounding to the cut) when their logits are
            // within a few float ulps: a logit 1e-5 below the cut's is ~80 ulps of w below it, so no distance beyond
            // this reach can tie. (Only for cuts below e^-80 of the row's largest weight could the float sum
            // kth + 1e-5/t round short of a tie; such weights are numerically nothing.)
            float tieReach = kth + 1e-5f / -negT;
            if (!(tieReach <= u)) {
                // a tie might lie beyond the candidates: take the whole row (rare)
                for (j = 0; j < m; j++) {
                    candidates[j] = j;
                    candidateDistances[j] = Math.max(d[base + j], 0f);
                }
                c = m;
            }
            int kept = 0;
            double scale = 0;
            for (int q = 0; q < c; q++) {
                float v = candidateDistances[q];
                if (v <= tieReach) {
                    float w = (float) Math.exp((v - min) * negT);
                    if (v <= kth || w >= cut) {
                        keptColumns[kept] = candidates[q];
                        keptWeights[kept] = w;
                        kept++;
                        scale += l2 ? (double) w * w : w;
                    }
                }
            }
            float divisor = (float) (l2 ? Math.sqrt(scale) : scale);
            divisor = divisor > 1e-12f ? divisor : 1e-12f;
            ensureCapacity(size + kept);
            for (int q = 0; q < kept; q++) {
                rows[size] = row;
                cols[size] = colBase + keptColumns[q];
                values[size] = keptWeights[q] / divisor;
                size++;
            }
        }

        /** The {@code rank}-th smallest (0-based) of {@code a[0 .. length)}, by quickselect; reorders a. */
        private static float select(float[] a, int length, int rank) {
            int lo = 0;
            int hi = length - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                float pivot = median(a[lo], a[mid], a[hi]);
                int i = lo;
                int j = hi;
                while (i <= j) {
                    while (a[i] < pivot) {
                        i++;
                    }
                    while (a[j] > pivot) {
                        j--;
                    }
                    if (i <= j) {
                        float t = a[i];
                        a[i] = a[j];
                        a[j] = t;
                        i++;
                        j--;
                    }
                }
                if (rank <= j) {
                    hi = j;
                } else if (rank >= i) {
                    lo = i;
                } else {
                    return a[rank];
                }
            }
            return a[rank];
        }

        private static float median(float a, float b, float c) {
            return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
        }

    }
}
