package dev.tokenreduce.clustering.expedit;

import dev.tokenreduce.core.op.OperatorFactory;
import dev.tokenreduce.core.op.Params;
import dev.tokenreduce.core.op.TokenOperator;
import java.util.Locale;

/**
 * Creates {@code expedit-reconstruct} steps. Parameters: {@code mode} (weighted, the default, or naive);
 * for weighted: {@code k} (clusters kept per token, 1..M or {@code all}; default 20), {@code temperature}
 * (required, &gt; 0: the multiplier t_r of the squared distance; the official configs use the clustering's t) and
 * {@code norm} (l2, the default, or l1). k ≤ M is checked when the step runs, against the clustering it
 * reconstructs.
 */
public final class ExpeditReconstructFactory implements OperatorFactory {

    @Override
    public String id() {
        return ExpeditReconstructOperator.ID;
    }

    @Override
    public String description() {
        return "Expedit token reconstruction: maps cluster-aligned tensors back to the full grid with top-k"
                + " distance weights (k, temperature, norm: l2|l1, mode: weighted|naive)";
    }

    @Override
    public TokenOperator create(Params params) {
        String mode = params.optChoice("mode", "weighted", "weighted", "naive");
        if (mode.equals("naive")) {
            for (String unused : new String[] {"k", "temperature", "norm"}) {
                if (params.has(unused)) {
                    throw params.invalid(unused, "has no effect with mode: naive (naive unpooling uses the hard"
                            + " labels only)");
                }
            }
            return new ExpeditReconstructOperator(ExpeditReconstructOperator.Mode.NAIVE, ExpeditReconstruction.ALL,
                    1f, ReconstructionNorm.L2);
        }
        int k = ExpeditReconstruction.DEFAULT_K;
        if (params.has("k")) {
            Object raw = params.asMap().get("k");
            if (raw instanceof String s && s.trim().toLowerCase(Locale.ROOT).equals("all")) {
                k = ExpeditReconstruction.ALL;
            } else {
                k = params.requireInt("k");
                if (k < 1) {
                    throw params.invalid("k", "must be >= 1 (clusters kept per token) or all, got " + k);
                }
            }
        }
        float temperature = ExpeditParams.temperature(params);
        ReconstructionNorm norm = ReconstructionNorm.parse(params.optChoice("norm", "l2", "l2", "l1"));
        return new ExpeditReconstructOperator(ExpeditReconstructOperator.Mode.WEIGHTED, k, temperature, norm);
    }
}
