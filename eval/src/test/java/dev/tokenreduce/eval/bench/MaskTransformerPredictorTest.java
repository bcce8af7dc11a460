package dev.tokenreduce.eval.bench;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenreduce.core.GridSize;
import dev.tokenreduce.core.policy.Policy;
import dev.tokenreduce.core.policy.PolicyLoader;
import dev.tokenreduce.core.safetensors.SafetensorsWriter;
import dev.tokenreduce.core.testing.SharedFixtures;
import dev.tokenreduce.eval.flops.FlopCount;
import dev.tokenreduce.vit.head.MaskTransformerNames;
import dev.tokenreduce.vit.head.SegmentationHeads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model folder whose head is a Segmenter mask-transformer decoder: the predictor loads it, reports the head kind,
 * predicts full-grid logits under Expedit (on the reconstructed tokens) and counts the decoder's FLOPs.
 */
class MaskTransformerPredictorTest {

    static final int K = 4;
    static final int D = 16;
    static final int HEADS = 2;

    static Path writeModel(Path dir) throws IOException {
        Path vit = SharedFixtures.fixture("vit/vit_plain/timm");
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = (ObjectNode) json.readTree(vit.resolve("config.json").toFile());
        config.putObject(SegmentationHeads.DECODE_HEAD_FIELD).put(SegmentationHeads.NUM_HEADS_FIELD, HEADS);
        Files.writeString(dir.resolve("config.json"), json.writeValueAsString(config));
        Files.copy(vit.resolve("model.safetensors"), dir.resolve("model.safetensors"));
        try (NDManager m = NDManager.newBaseManager()) {
            m.getEngine().setRandomSeed(9);
            Map<String, NDArray> t = new LinkedHashMap<>();
            t.put(MaskTransformerNames.CLS_EMB, rand(m, 1, K, D));
            t.put(MaskTransformerNames.DEC_PROJ_WEIGHT, rand(m, D, 64));
            t.put(MaskTransformerNames.DEC_PROJ_BIAS, rand(m, D));
            Map<String, long[]> layer = new LinkedHashMap<>();
            layer.put("ln1.weight", new long[] {D});
            layer.put("ln1.bias", new long[] {D});
            layer.put("attn.attn.in_proj_weight", new long[] {3 * D, D});
            layer.put("attn.attn.in_proj_bias", new long[] {3 * D});
            layer.put("attn.attn.out_proj.weight", new long[] {D, D});
            layer.put("attn.attn.out_proj.bias", new long[] {D});
            layer.put("ln2.weight", new long[] {D});
            layer.put("ln2.bias", new long[] {D});
            layer.put("ffn.layers.0.0.weight", new long[] {4 * D, D});
            layer.put("ffn.layers.0.0.bias", new long[] {4 * D});
            layer.put("ffn.layers.1.weight", new long[] {D, 4 * D});
            layer.put("ffn.layers.1.bias", new long[] {D});
            layer.forEach((name, shape) -> t.put(MaskTransformerNames.layer(0, name), rand(m, shape)));
            t.put(MaskTransformerNames.DECODER_NORM_WEIGHT, m.ones(new Shape(D)));
            t.put(MaskTransformerNames.DECODER_NORM_BIAS, m.zeros(new Shape(D)));
            t.put(MaskTransformerNames.PATCH_PROJ, rand(m, D, D));
            t.put(MaskTransformerNames.CLASSES_PROJ, rand(m, D, D));
            t.put(MaskTransformerNames.MASK_NORM_WEIGHT, m.ones(new Shape(K)));
            t.put(MaskTransformerNames.MASK_NORM_BIAS, m.zeros(new Shape(K)));
            SafetensorsWriter.write(dir.resolve(EncoderHeadPredictor.HEAD_FILE), t, Map.of("format", "pt"));
        }
        return dir;
    }

    static NDArray rand(NDManager m, long... shape) {
        return m.randomNormal(0, 0.3f, new Shape(shape), DataType.FLOAT32);
    }

    @Test
    void loadsPredictsAndCountsTheDecoder(@TempDir Path dir) throws IOException {
        Policy expedit = PolicyLoader.withDefaults().parse(DenseBenchmarkTest.EXPEDIT, false, "e.yaml", "e", null);
        try (EncoderHeadPredictor p = EncoderHeadPredictor.load(writeModel(dir), Device.cpu());
                NDManager m = NDManager.newBaseManager()) {
            assertThat(p.describe()).containsEntry("head", "mask-transformer").containsEntry("classes", K);
            assertThat(p.numClasses()).isEqualTo(K);
            m.getEngine().setRandomSeed(4);
            DensePrediction out = p.predict(m.randomNormal(new Shape(2, 3, 64, 64)), expedit, m, 1);
            assertThat(out.logits().getShape()).isEqualTo(new Shape(2, K, 8, 8));
            assertThat(out.gridTokens().getShape()).isEqualTo(new Shape(2, 64, 64));

            // matrix products by hand: dec_proj, one layer on n + K tokens (qkv, QKᵀ and AV, out_proj, FFN),
            // the two projections and the masks
            long n = 64;
            long l = n + K;
            long matmul = 2 * n * 64 * D + 2 * l * D * 3 * D + 4 * l * l * D + 2 * l * D * D + 2 * l * D * 4 * D * 2
                    + 2 * n * D * D + 2 * K * D * D + 2 * n * D * K;
            FlopCount flops = p.headFlops(new GridSize(8, 8));
            assertThat(flops.matmul()).isEqualTo(matmul);
            assertThat(flops.other()).isPositive();
        }
    }
}
