package dev.tokenreduce.cli.apply;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tokenreduce.clustering.expedit.ExpeditReconstruction;
import dev.tokenreduce.clustering.expedit.ReconstructionNorm;
import dev.tokenreduce.core.op.Params;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code expedit-reconstruct}: in {@code tokens} (B, N, C) the tokens that entered clustering, {@code clustered}
 * (B, M, C) the centres, {@code to_reconstruct} (B, M, C'); params {@code k} (1..M or {@code all}, default 20),
 * {@code temperature} (required) and {@code norm} (l2 or l1); out {@code reconstructed} (B, N, C').
 */
final class ExpeditReconstructAdapter implements OperatorAdapter {

    @Override
    public String id() {
        return "expedit-reconstruct";
    }

    @Override
    public List<String> inputs() {
        return List.of("tokens (B,N,C)", "clustered (B,M,C)", "to_reconstruct (B,M,C')");
    }

    @Override
    public List<String> outputs() {
        return List.of("reconstructed (B,N,C')");
    }

    @Override
    public List<String> params() {
        return List.of("k", "temperature", "[norm=l2|l1]");
    }

    @Override
    public Map<String, NDArray> run(NamedTensors inputs, Params params, NDManager manager) {
        int k = ExpeditReconstruction.DEFAULT_K;
        if (params.has("k")) {
            Object raw = params.asMap().get("k");
            if (raw.toString().trim().toLowerCase(Locale.ROOT).equals("all")) {
                k = ExpeditReconstruction.ALL;
            } else {
                k = params.requireInt("k");
                if (k < 1) {
                    throw params.invalid("k", "must be >= 1 (clusters kept per token) or all, got " + k);
                }
            }
        }
        if (!params.has("temperature")) {
            throw params.invalid("temperature", "missing (required): the multiplier t of the squared distance");
        }
        double t = params.requirePositive("temperature");
        ReconstructionNorm norm = ReconstructionNorm.parse(params.optChoice("norm", "l2", "l2", "l1"));
        params.requireAllUsed();

        NDArray tokens = inputs.require("tokens", 3);
        NDArray clustered = inputs.require("clustered", 3);
        NDArray values = inputs.require("to_reconstruct", 3);
        long m = clustered.getShape().get(1);
        if (k != ExpeditReconstruction.ALL && k > m) {
            throw params.invalid("k", k + " exceeds the " + m + " clusters in 'clustered'; use k <= " + m + " or all");
        }
        ExpeditReconstruction.Builder b = ExpeditReconstruction.builder().setTokens(tokens).setCentres(clustered)
                .setTemperature((float) t).optNorm(norm);
        if (k == ExpeditReconstruction.ALL) {
            b.optKeepAll();
        } else {
            b.optTopK(k);
        }
        Map<String, NDArray> out = new LinkedHashMap<>();
        out.put("reconstructed", b.build().apply(values));
        return out;
    }
}
