package dev.tokenreduce.clustering.expedit;

import dev.tokenreduce.core.GridSize;
import dev.tokenreduce.core.op.OperatorFactory;
import dev.tokenreduce.core.op.Params;
import dev.tokenreduce.core.op.TokenOperator;

/**
 * Creates {@code expedit-cluster} steps. Parameters: {@code clusters} (h×w, required), {@code iterations} (κ ≥ 0,
 * default 5), {@code window} (λ odd ≥ 1, default 5), {@code temperature} (required, &gt; 0: the multiplier t of
 * the squared distance in exp(−t·d²); official Segmenter ViT-L 0.02, SAM 0.01) and {@code windowed} (an
 * attention-window size for SAM/Swin; clusters then means clusters per window).
 */
public final class ExpeditClusterFactory implements OperatorFactory {

    @Override
    public String id() {
        return ExpeditClusterOperator.ID;
    }

    @Override
    public String description() {
        return "Expedit token clustering: soft k-means of the patch grid to h x w centres in a lambda x lambda"
                + " neighbourhood (clusters, iterations, window, temperature, windowed)";
    }

    @Override
    public TokenOperator create(Params params) {
        GridSize clusters = params.requireGrid("clusters");
        int iterations = params.optInt("iterations", 5);
        if (iterations < 0) {
            throw params.invalid("iterations", "must be >= 0, got " + iterations);
        }
        int window = params.optInt("window", 5);
        if (window < 1 || window % 2 == 0) {
            throw params.invalid("window", "must be odd and >= 1 (a token may join the window x window clusters"
                    + " around its initial cell), got " + window);
        }
        float temperature = ExpeditParams.temperature(params);
        int windowed = 0;
        if (params.has("windowed")) {
            windowed = params.requireInt("windowed");
            if (windowed < 1) {
                throw params.invalid("windowed", "must be an attention-window size >= 1, got " + windowed);
            }
        }
        return new ExpeditClusterOperator(ExpeditClustering.builder().setClusters(clusters)
                .setTemperature(temperature).optIterations(iterations).optWindow(window).optWindowed(windowed)
                .build());
    }
}
