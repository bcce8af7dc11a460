package dev.tokenreduce.clustering.expedit;

import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.op.Reduction;
import dev.tokenreduce.core.op.ReductionRecord;
import dev.tokenreduce.core.op.StepContext;
import dev.tokenreduce.core.op.TokenOperator;
import dev.tokenreduce.core.token.ComposedRestoration;
import dev.tokenreduce.core.token.Restoration;
import dev.tokenreduce.core.token.TokenState;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code expedit-reconstruct} step: replaces the latest {@link ExpeditRestoration} in the state's restoration
 * chain by the weighted reconstruction (or naive unpooling). It does not change the tokens; the host applies the
 * state's restoration to whatever needs the full grid (final patch tokens, logits, hooked features). Weights are
 * computed once here, from the tokens that entered clustering and the centres at that point.
 */
public final class ExpeditReconstructOperator implements TokenOperator {

    /** Registry id. */
    public static final String ID = "expedit-reconstruct";

    /** Weighted reconstruction or naive unpooling. */
    public enum Mode {
        WEIGHTED,
        NAIVE
    }

    private final Mode mode;
    private final int k;
    private final float temperature;
    private final ReconstructionNorm norm;

    /**
     * @param mode weighted or naive
     * @param k clusters kept per token (1..M or {@link ExpeditReconstruction#ALL}); unused when naive
     * @param temperature multiplier t_r of the squared distance; unused when naive
     * @param norm row normalisation; unused when naive
     */
    public ExpeditReconstructOperator(Mode mode, int k, float temperature, ReconstructionNorm norm) {
        this.mode = mode;
        this.k = k;
        this.temperature = temperature;
        this.norm = norm;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Reduction apply(TokenState state, StepContext context) {
        long start = System.nanoTime();
        Restoration chain = state.restoration();
        ExpeditRestoration latest = chain == null ? null : latest(chain);
        if (latest == null) {
            throw new InvalidInputException(ID + ": no expedit-cluster step ran earlier in this forward pass, so there"
                    + " is nothing to reconstruct");
        }
        ClusteringResult clusters = latest.clusters();
        if (clusters.batchSize() != state.batchSize()) {
            throw new InvalidInputException(ID + ": the clustering had batch " + clusters.batchSize()
                    + " but the state has " + state.batchSize() + " (is it from the same forward pass?)");
        }
        ExpeditRestoration replacement;
        if (mode == Mode.NAIVE) {
            replacement = latest.withNaive();
        } else {
            int m = clusters.clustersPerUnit();
            if (k != ExpeditReconstruction.ALL && k > m) {
                throw new InvalidInputException(ID + ", field 'k': " + k + " exceeds the " + m + " clusters ("
                        + clusters.clusters() + (clusters.isWindowed() ? " per window" : "")
                        + ") of the expedit-cluster step; use k <= " + m + " or k: all");
            }
            replacement = latest.withWeighted(k, temperature, norm);
        }
        Restoration next = replace(chain, latest, replacement);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("mode", mode == Mode.NAIVE ? "naive" : "weighted");
        if (mode == Mode.WEIGHTED) {
            details.put("k", k == ExpeditReconstruction.ALL ? "all" : (Object) k);
            details.put("temperature", temperature);
            details.put("norm", norm.toString());
        }
        details.put("clusters", clusters.mergedGrid().toString());
        details.put("restores", clusters.originalTokens());
        int visual = state.layout().visual();
        ReductionRecord record = new ReductionRecord(ID, context.at().toString(), visual, visual,
                System.nanoTime() - start, details);
        TokenState result = state.toBuilder().optRestoration(next).addRecord(record).build();
        return new Reduction(result, record);
    }

    /** The most recent Expedit restoration in a chain (later reductions are searched first), or null. */
    static ExpeditRestoration latest(Restoration r) {
        if (r instanceof ExpeditRestoration e) {
            return e;
        }
        if (r instanceof ComposedRestoration c) {
            ExpeditRestoration found = latest(c.later());
            return found != null ? found : latest(c.earlier());
        }
        return null;
    }

    /** The chain with {@code target} (by identity) replaced; other links are kept as they are. */
    static Restoration replace(Restoration r, Restoration target, Restoration replacement) {
        if (r == target) {
            return replacement;
        }
        if (r instanceof ComposedRestoration c) {
            Restoration later = replace(c.later(), target, replacement);
            Restoration earlier = later == c.later() ? replace(c.earlier(), target, replacement) : c.earlier();
            return later == c.later() && earlier == c.earlier() ? r : new ComposedRestoration(earlier, later);
        }
        return r;
    }
}
