package dev.tokenreduce.eval.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tokenreduce.core.policy.Policy;
import dev.tokenreduce.datasets.image.Preprocessor;
import dev.tokenreduce.datasets.image.SizeRule;
import dev.tokenreduce.datasets.readers.Datasets;
import dev.tokenreduce.datasets.readers.SegmentationDataset;
import dev.tokenreduce.vit.EncodeOptions;
import dev.tokenreduce.vit.EncoderOutput;
import dev.tokenreduce.vit.VisionEncoder;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Measures the feature scale the Expedit temperature is chosen from (how the built-in policies were tuned): for the
 * patch tokens after {@code alpha} blocks, the mean squared distance d̄² between each token and the mean of its
 * initial cell of an h×w cluster grid (the adaptive-pooling start of Expedit's k-means). The suggested temperature
 * is t = 1 / d̄², i.e. a typical member of its own cluster gets weight exp(−1) relative to a perfect match.
 *
 * <p>Usage: {@code FeatureScaleTool MODEL_DIR DATASET_SPEC ALPHA CLUSTERS IMAGES}.
 */
public final class FeatureScaleTool {

    private FeatureScaleTool() {}

    public static void main(String[] args) {
        Path model = Path.of(args[0]);
        SegmentationDataset data = Datasets.openSegmentation(args[1], "validation");
        int alpha = Integer.parseInt(args[2]);
        int clusters = Integer.parseInt(args[3]);
        int images = Math.min(Integer.parseInt(args[4]), data.size());
        try (VisionEncoder vit = VisionEncoder.load(model, Device.cpu()); NDManager m = NDManager.newBaseManager()) {
            int size = vit.config().imageHeight();
            int grid = size / vit.config().patchSize();
            int prefix = vit.config().prefixTokens();
            float[] mean = new float[3];
            float[] std = new float[3];
            for (int c = 0; c < 3; c++) {
                mean[c] = vit.config().imageMean().get(c).floatValue();
                std[c] = vit.config().imageStd().get(c).floatValue();
            }
            Preprocessor pre = Preprocessor.builder().optResize(SizeRule.fixed(size, size))
                    .setNormalization(dev.tokenreduce.datasets.image.Normalization.of(mean, std)).build();
            double sum = 0;
            double normSum = 0;
            long count = 0;
            for (int i = 0; i < images; i++) {
                try (NDManager s = m.newSubManager()) {
                    NDArray px = pre.toNDArray(s, List.of(data.sample(i).image()));
                    String name = alpha == 0 ? EncodeOptions.EMBEDDINGS : EncodeOptions.block(alpha - 1);
                    EncoderOutput out = vit.encode(px, Policy.none(), s, EncodeOptions.builder().optRecord(name).build());
                    float[] z = out.intermediate(name).toFloatArray();
                    int c = vit.config().embedDim();
                    double[][] centre = new double[clusters * clusters][c];
                    int[] members = new int[clusters * clusters];
                    for (int t = 0; t < grid * grid; t++) {
                        int cell = cellOf(t, grid, clusters);
                        members[cell]++;
                        for (int k = 0; k < c; k++) {
                            centre[cell][k] += z[(prefix + t) * c + k];
                        }
                    }
                    for (int t = 0; t < grid * grid; t++) {
                        int cell = cellOf(t, grid, clusters);
                        double d = 0;
                        double n = 0;
                        for (int k = 0; k < c; k++) {
                            double v = z[(prefix + t) * c + k];
                            double diff = v - centre[cell][k] / members[cell];
                            d += diff * diff;
                            n += v * v;
                        }
                        sum += d;
                        normSum += n;
                        count++;
                    }
                }
            }
            double d2 = sum / count;
            System.out.printf(Locale.ROOT, "alpha %d, %dx%d clusters on %dx%d: mean |z|^2 %.4f, mean d^2 to cell"
                    + " centre %.4f, suggested temperature 1/d^2 = %.5f%n", alpha, clusters, clusters, grid, grid,
                    normSum / count, d2, 1 / d2);
        }
    }

    private static int cellOf(int token, int grid, int clusters) {
        int r = token / grid;
        int col = token % grid;
        return (r * clusters / grid) * clusters + col * clusters / grid;
    }
}
