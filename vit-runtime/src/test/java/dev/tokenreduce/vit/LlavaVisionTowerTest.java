package dev.tokenreduce.vit;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import dev.tokenreduce.core.policy.Policy;
import dev.tokenreduce.core.safetensors.SafetensorsFile;
import dev.tokenreduce.core.testing.SharedFixtures;
import dev.tokenreduce.core.testing.Tolerance;
import dev.tokenreduce.vit.config.WeightFormat;
import org.junit.jupiter.api.Test;

/**
 * The CLIP tower inside the tiny LLaVA-1.5 checkpoint (llava-hf layout, {@code vision_tower.vision_model.} keys):
 * block L−2's patch tokens through the checkpoint's projector give the fixture's {@code image_features}.
 */
class LlavaVisionTowerTest {

    @Test
    void featureLayerThroughTheProjectorMatchesImageFeatures() {
        try (VisionEncoder vit = VisionEncoder.load(SharedFixtures.fixture("llava/tiny_llava"));
                NDManager scope = NDManager.newBaseManager();
                SafetensorsFile weights = SafetensorsFile.open(SharedFixtures.fixture("llava/tiny_llava/model.safetensors"));
                SafetensorsFile ref = SafetensorsFile.open(SharedFixtures.fixture("llava/tiny_llava_prefill.safetensors"))) {
            assertThat(vit.config().weightFormat()).isEqualTo(WeightFormat.HF_CLIP);
            assertThat(vit.config().depth()).isEqualTo(3);
            // vision_feature_layer -2: hidden_states[-2] is the output of block L-2 (0-based)
            String feature = EncodeOptions.block(vit.config().depth() - 2);
            EncoderOutput out = vit.encode(ref.load("pixel_values", scope), Policy.none(), scope,
                    EncodeOptions.builder().optRecord(feature).build());
            NDArray patches = out.intermediate(feature).get(new NDIndex(":, 1:")); // 'default' strategy drops CLS
            NDArray h = Linear.linear(patches, weights.load("multi_modal_projector.linear_1.weight", scope),
                    weights.load("multi_modal_projector.linear_1.bias", scope)).singletonOrThrow();
            h = Activation.gelu(h);
            h = Linear.linear(h, weights.load("multi_modal_projector.linear_2.weight", scope),
                    weights.load("multi_modal_projector.linear_2.bias", scope)).singletonOrThrow();
            double d = Tolerance.assertClose(h, ref.load("image_features", scope), 1e-4, "image_features");
            System.out.printf("max|a-b| %-45s %.3e%n", "llava/tiny_llava image_features", d);
        }
    }
}
