package dev.tokenreduce.eval.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fidelity of a reduced model to the unreduced one.
 *
 * @param meanCosine mean per-token cosine similarity
 * @param minCosine worst per-token cosine similarity
 * @param meanRelativeError mean per-token ‖a − b‖ / ‖b‖
 * @param maxRelativeError worst per-token relative error
 * @param pooledRelativeError sqrt(Σ‖a − b‖² / Σ‖b‖²) over all tokens
 * @param tokens tokens compared
 * @param agreement fraction of equal argmax predictions
 * @param predictions predictions compared
 */
public record FidelityScores(double meanCosine, double minCosine, double meanRelativeError, double maxRelativeError,
        double pooledRelativeError, long tokens, double agreement, long predictions) {

    /** The numbers under stable keys, for reports. */
    public Map<String, Double> asMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("cosine_mean", meanCosine);
        m.put("cosine_min", minCosine);
        m.put("rel_err_mean", meanRelativeError);
        m.put("rel_err_max", maxRelativeError);
        m.put("rel_err_pooled", pooledRelativeError);
        m.put("agreement", agreement);
        return m;
    }
}
