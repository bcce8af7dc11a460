package dev.tokenreduce.eval.flops;

import dev.tokenreduce.core.op.ReductionRecord;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The token schedule and FLOPs of one encoder forward pass, reconstructed from the {@link ReductionRecord}s its
 * policy steps left (so a benchmark counts what actually ran, per image). Hook points are read from the records'
 * {@code at}: {@code block N} (after N blocks), {@code blocks} (inside block {@code details.block}, or the next
 * block in order), {@code output}. Reducer costs use {@link ReducerFlops} per operator id; an operator this class
 * does not know is listed as a {@code reducer:<op> (cost not counted)} component of zero, never silently dropped.
 */
public final class RecordedRunFlops {

    private RecordedRunFlops() {}

    /**
     * Tokens per block from the records (counts include the prefix tokens).
     *
     * @throws IllegalArgumentException for a hook point a ViT encoder does not have or beyond its depth
     */
    public static TokenSchedule schedule(VitShape shape, List<ReductionRecord> records) {
        int depth = shape.depth();
        int prefix = shape.prefixTokens();
        // positions: attention of block l = 2l, its MLP = 2l + 1, the output = 2·depth
        int[] counts = new int[2 * depth + 1];
        Arrays.fill(counts, shape.tokens());
        int nextInBlock = 0;
        for (ReductionRecord r : records) {
            int from;
            String at = r.at().trim().toLowerCase(Locale.ROOT);
            if (at.equals("output")) {
                from = 2 * depth;
            } else if (at.equals("blocks")) {
                int block = intDetail(r.details(), "block", nextInBlock);
                if (block < 0 || block >= depth) {
                    throw new IllegalArgumentException(r.op() + " recorded block " + block + " of a " + depth
                            + "-block encoder");
                }
                nextInBlock = block + 1;
                from = 2 * block + 1;
            } else if (at.startsWith("block")) {
                int n = Integer.parseInt(at.substring(5).trim());
                if (n < 0 || n > depth) {
                    throw new IllegalArgumentException(r.op() + " recorded at block " + n + " of a " + depth
                            + "-block encoder");
                }
                from = 2 * n;
            } else {
                throw new IllegalArgumentException(r.op() + " recorded at '" + r.at() + "', which is not a vision"
                        + " encoder hook point");
            }
            Arrays.fill(counts, from, counts.length, prefix + r.tokensOut());
        }
        int[] attention = new int[depth];
        int[] mlp = new int[depth];
        for (int l = 0; l < depth; l++) {
            attention[l] = counts[2 * l];
            mlp[l] = counts[2 * l + 1];
        }
        return TokenSchedule.of(attention, mlp, counts[2 * depth]);
    }

    /** The encoder's FLOPs under the recorded schedule plus every recorded step's own cost. */
    public static FlopsBreakdown flops(VitShape shape, List<ReductionRecord> records) {
        FlopsBreakdown f = VitFlops.encoder(shape, schedule(shape, records));
        for (ReductionRecord r : records) {
            FlopCount cost = reducerCost(shape, r);
            f = f.plus(cost == null ? "reducer:" + r.op() + " (cost not counted)" : "reducer:" + r.op(),
                    cost == null ? FlopCount.ZERO : cost);
        }
        return f;
    }

    /** The cost of one recorded step, or {@code null} when the operator is not known here. */
    public static FlopCount reducerCost(VitShape shape, ReductionRecord r) {
        long c = shape.embedDim();
        long in = r.tokensIn();
        long out = r.tokensOut();
        Map<String, Object> d = r.details();
        switch (r.op()) {
            case "expedit-cluster":
                return ReducerFlops.expeditClustering(in, out, c, intDetail(d, "iterations", 5),
                        intDetail(d, "window", 5));
            case "expedit-reconstruct": {
                if ("naive".equals(String.valueOf(d.get("mode")))) {
                    return FlopCount.ZERO;
                }
                Object k = d.get("k");
                int kk = k instanceof Number n ? n.intValue() : -1;
                long restores = intDetail(d, "restores", shape.grid().cells());
                return ReducerFlops.expeditReconstruction(restores, in, c, c, kk);
            }
            case "tome":
                return ReducerFlops.tomeMerge(shape.prefixTokens() + in, in - out, c / shape.heads(), c);
            case "pool":
                return ReducerFlops.pool(in, out, c);
            case "todre-diversity":
            case "divprune":
                return ReducerFlops.todreDiversity(in, out, c);
            case "random":
                return FlopCount.ZERO;
            case "cls-attention":
            case "fastv":
                return ReducerFlops.topK(in);
            default:
                return null;
        }
    }

    private static int intDetail(Map<String, Object> details, String key, int fallback) {
        Object v = details.get(key);
        if (v instanceof Number n) {
            return n.intValue();
        }
        if (v != null) {
            try {
                return Integer.parseInt(v.toString().trim());
            } catch (NumberFormatException e) {
                return fallback;
            }
        }
        return fallback;
    }
}
