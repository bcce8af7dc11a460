package dev.tokenreduce.clustering.tome;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A literal, loop-based port of ToMe's {@code bipartite_soft_matching} + {@code merge_wavg} on the whole sequence
 * (class token row and distillation token column set to −∞), for checking the vectorised implementation. Ties are
 * broken like the implementation documents: stable descending sort, first maximum.
 */
final class TomeReference {

    /** Result per batch row: tokens (M × C) and sizes (M). */
    record Result(float[][] tokens, float[] sizes) {}

    private TomeReference() {}

    static Result mergeWavg(float[][] metric, float[][] x, float[] size, int r, boolean classToken,
            boolean distillToken) {
        int n = metric.length;
        int prot = (classToken ? 1 : 0) + (distillToken ? 1 : 0);
        int rr = Math.min(r, (n - prot) / 2);
        float[] s = size != null ? size.clone() : filled(n, 1f);
        if (rr <= 0) {
            return new Result(copy(x), s);
        }
        int c = metric[0].length;
        float[][] norm = new float[n][c];
        for (int i = 0; i < n; i++) {
            double sq = 0;
            for (float v : metric[i]) {
                sq += (double) v * v;
            }
            float len = (float) Math.sqrt(sq);
            for (int k = 0; k < c; k++) {
                norm[i][k] = metric[i][k] / len;
            }
        }
        int na = (n + 1) / 2;
        int nb = n / 2;
        double[][] scores = new double[na][nb];
        for (int i = 0; i < na; i++) {
            for (int j = 0; j < nb; j++) {
                double d = 0;
                for (int k = 0; k < c; k++) {
                    d += (double) norm[2 * i][k] * norm[2 * j + 1][k];
                }
                scores[i][j] = d;
            }
        }
        if (classToken) {
            Arrays.fill(scores[0], Double.NEGATIVE_INFINITY);
        }
        if (distillToken) {
            for (int i = 0; i < na; i++) {
                scores[i][0] = Double.NEGATIVE_INFINITY;
            }
        }
        double[] nodeMax = new double[na];
        int[] nodeIdx = new int[na];
        for (int i = 0; i < na; i++) {
            nodeMax[i] = scores[i][0];
            for (int j = 1; j < nb; j++) {
                if (scores[i][j] > nodeMax[i]) {
                    nodeMax[i] = scores[i][j];
                    nodeIdx[i] = j;
                }
            }
        }
        List<Integer> edge = new ArrayList<>();
        for (int i = 0; i < na; i++) {
            edge.add(i);
        }
        edge.sort(Comparator.comparingDouble((Integer i) -> nodeMax[i]).reversed()); // stable
        List<Integer> unm = new ArrayList<>(edge.subList(rr, na));
        List<Integer> src = edge.subList(0, rr);
        if (classToken) {
            unm.sort(Comparator.naturalOrder());
        }
        float[][] xs = new float[n][];
        for (int i = 0; i < n; i++) {
            xs[i] = new float[x[i].length];
            for (int k = 0; k < x[i].length; k++) {
                xs[i][k] = x[i][k] * s[i];
            }
        }
        float[][] mx = mergeSum(xs, unm, src, nodeIdx, distillToken);
        float[][] sizeRows = new float[n][];
        for (int i = 0; i < n; i++) {
            sizeRows[i] = new float[] {s[i]};
        }
        float[][] ms = mergeSum(sizeRows, unm, src, nodeIdx, distillToken);
        float[] outSize = new float[ms.length];
        for (int i = 0; i < ms.length; i++) {
            outSize[i] = ms[i][0];
            for (int k = 0; k < mx[i].length; k++) {
                mx[i][k] /= outSize[i];
            }
        }
        return new Result(mx, outSize);
    }

    private static float[][] mergeSum(float[][] v, List<Integer> unm, List<Integer> src, int[] nodeIdx,
            boolean distillToken) {
        int nb = v.length / 2;
        float[][] dst = new float[nb][];
        for (int j = 0; j < nb; j++) {
            dst[j] = v[2 * j + 1].clone();
        }
        for (int a : src) {
            float[] row = v[2 * a];
            float[] target = dst[nodeIdx[a]];
            for (int k = 0; k < row.length; k++) {
                target[k] += row[k];
            }
        }
        List<float[]> out = new ArrayList<>();
        if (distillToken) {
            out.add(v[2 * unm.get(0)].clone());
            out.add(dst[0]);
            for (int i = 1; i < unm.size(); i++) {
                out.add(v[2 * unm.get(i)].clone());
            }
            out.addAll(Arrays.asList(dst).subList(1, nb));
        } else {
            for (int a : unm) {
                out.add(v[2 * a].clone());
            }
            out.addAll(Arrays.asList(dst));
        }
        return out.toArray(new float[0][]);
    }

    private static float[] filled(int n, float v) {
        float[] f = new float[n];
        Arrays.fill(f, v);
        return f;
    }

    private static float[][] copy(float[][] x) {
        float[][] out = new float[x.length][];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i].clone();
        }
        return out;
    }
}
