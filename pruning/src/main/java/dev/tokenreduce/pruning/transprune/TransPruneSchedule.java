package dev.tokenreduce.pruning.transprune;

import dev.tokenreduce.core.InvalidInputException;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * When TransPrune measures and prunes (layers 1-based, prefill only): TTV is accumulated in the layers
 * {@code accumulate-layers} (A), image tokens are pruned after each layer of {@code prune-after} (P), stage s keeping
 * {@code ⌊N0 · r_s⌋} of the ORIGINAL image-token count N0.
 *
 * <p>Validated on construction: A and P non-empty with layers ≥ 1, P strictly increasing, |r| = |P|, every r in
 * (0, 1] and non-increasing. Against a model ({@link #validateFor}): P ⊆ [1, L − 1] (the IGA of stage p uses layer
 * p + 1) and A ⊆ [1, L]. Against an image ({@link #keep}): every stage keeps at least one token.
 */
public final class TransPruneSchedule {

    /**
     * The released "High" schedule: A = {7, …, 12}, P = {7, 9, 12}, r = [0.875, 0.625, 0.125] (LLaVA-1.5: 576 →
     * 504 → 360 → 72 image tokens).
     */
    public static final TransPruneSchedule HIGH = of(List.of(7, 8, 9, 10, 11, 12), List.of(7, 9, 12),
            List.of(0.875, 0.625, 0.125));

    private final List<Integer> accumulate;
    private final List<Integer> pruneAfter;
    private final List<Double> keepRatios;

    private TransPruneSchedule(List<Integer> accumulate, List<Integer> pruneAfter, List<Double> keepRatios) {
        this.accumulate = List.copyOf(accumulate);
        this.pruneAfter = List.copyOf(pruneAfter);
        this.keepRatios = List.copyOf(keepRatios);
    }

    /**
     * A validated schedule.
     *
     * @param accumulate A: layers whose TTV is accumulated
     * @param pruneAfter P: layers after which image tokens are pruned, increasing
     * @param keepRatios r: per stage, the share of the original image tokens kept
     * @throws ScheduleException naming the field and the problem
     */
    public static TransPruneSchedule of(List<Integer> accumulate, List<Integer> pruneAfter, List<Double> keepRatios) {
        if (accumulate == null || accumulate.isEmpty()) {
            throw new ScheduleException("accumulate-layers", "must not be empty");
        }
        if (pruneAfter == null || pruneAfter.isEmpty()) {
            throw new ScheduleException("prune-after", "must not be empty");
        }
        if (keepRatios == null || keepRatios.size() != pruneAfter.size()) {
            throw new ScheduleException("keep", "has " + (keepRatios == null ? 0 : keepRatios.size())
                    + " ratios but prune-after has " + pruneAfter.size() + " layers (one ratio per stage)");
        }
        for (int layer : accumulate) {
            if (layer < 1) {
                throw new ScheduleException("accumulate-layers", "holds " + layer + "; layers are numbered from 1");
            }
        }
        if (accumulate.stream().distinct().count() != accumulate.size()) {
            throw new ScheduleException("accumulate-layers", "lists a layer twice: " + accumulate);
        }
        for (int i = 0; i < pruneAfter.size(); i++) {
            int layer = pruneAfter.get(i);
            if (layer < 1) {
                throw new ScheduleException("prune-after", "holds " + layer + "; layers are numbered from 1");
            }
            if (i > 0 && layer <= pruneAfter.get(i - 1)) {
                throw new ScheduleException("prune-after", "layers must be strictly increasing, got " + layer
                        + " after " + pruneAfter.get(i - 1));
            }
        }
        for (int i = 0; i < keepRatios.size(); i++) {
            double r = keepRatios.get(i);
            if (!(r > 0 && r <= 1)) {
                throw new ScheduleException("keep", "ratio " + r + " of stage " + (i + 1) + " is outside (0, 1]");
            }
            if (i > 0 && r > keepRatios.get(i - 1)) {
                throw new ScheduleException("keep", "ratios must be non-increasing, got " + r + " after "
                        + keepRatios.get(i - 1));
            }
        }
        int first = pruneAfter.get(0);
        if (accumulate.stream().noneMatch(l -> l <= first)) {
            throw new ScheduleException("accumulate-layers", "has no layer at or before the first prune-after layer "
                    + first + ", so its TTV would be empty");
        }
        return new TransPruneSchedule(accumulate, pruneAfter, keepRatios);
    }

    /**
     * Checks the schedule against a decoder of {@code numLayers} layers.
     *
     * @throws InvalidInputException when a prune-after layer is outside [1, L − 1] or an accumulate layer beyond L
     */
    public void validateFor(int numLayers) {
        for (int p : pruneAfter) {
            if (p > numLayers - 1) {
                throw new InvalidInputException("transprune: prune-after layer " + p + " is outside [1, "
                        + (numLayers - 1) + "]: its instruction-guided attention needs layer " + (p + 1)
                        + " of a " + numLayers + "-layer decoder");
            }
        }
        for (int a : accumulate) {
            if (a > numLayers) {
                throw new InvalidInputException("transprune: accumulate-layers holds " + a + " but the decoder has "
                        + numLayers + " layers");
            }
        }
    }

    /** Whether layer {@code layer}'s TTV is accumulated. */
    public boolean accumulates(int layer) {
        return accumulate.contains(layer);
    }

    /** The 0-based stage pruning after layer {@code layer}, or −1. */
    public int stageAfter(int layer) {
        return pruneAfter.indexOf(layer);
    }

    /**
     * Image tokens kept by stage {@code stage}: {@code ⌊N0 · r_stage⌋} (as the official code's {@code int()}).
     *
     * @throws InvalidInputException when that is 0
     */
    public int keep(int stage, int originalImageTokens) {
        double r = keepRatios.get(stage);
        int keep = (int) Math.floor(originalImageTokens * r);
        if (keep < 1) {
            throw new InvalidInputException("transprune: stage " + (stage + 1) + " keeps floor(" + originalImageTokens
                    + " · " + r + ") = " + keep + " image tokens; every stage must keep at least 1");
        }
        return keep;
    }

    /** Image-token counts seen by each stage's following layers, for FLOPs accounting: N0, keep_1, …, keep_s. */
    public int[] tokenCounts(int originalImageTokens) {
        return IntStream.concat(IntStream.of(originalImageTokens),
                IntStream.range(0, pruneAfter.size()).map(s -> keep(s, originalImageTokens))).toArray();
    }

    public List<Integer> accumulateLayers() {
        return accumulate;
    }

    public List<Integer> pruneAfter() {
        return pruneAfter;
    }

    public List<Double> keepRatios() {
        return keepRatios;
    }

    /** A schedule error, naming the policy field it comes from. */
    public static final class ScheduleException extends InvalidInputException {

        private static final long serialVersionUID = 1L;

        private final String field;
        private final String problem;

        ScheduleException(String field, String problem) {
            super("transprune: " + field + " " + problem);
            this.field = field;
            this.problem = problem;
        }

        /** The policy field: {@code accumulate-layers}, {@code prune-after} or {@code keep}. */
        public String field() {
            return field;
        }

        /** The problem without the operator and field prefix. */
        public String problem() {
            return problem;
        }
    }

    @Override
    public String toString() {
        return "accumulate-layers " + accumulate + ", prune-after " + pruneAfter + ", keep "
                + keepRatios.stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
    }
}
