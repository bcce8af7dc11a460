package dev.tokenreduce.vit.lvlm;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tokenreduce.core.policy.Policy;
import dev.tokenreduce.core.safetensors.SafetensorsFile;
import dev.tokenreduce.core.testing.SharedFixtures;
import dev.tokenreduce.core.testing.Tolerance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The tiny LLaVA-1.5 checkpoint against transformers' {@code LlavaForConditionalGeneration}
 * ({@code fixtures/llava/tiny_llava_prefill}): image features, the feature block's [CLS] attention, every decoder
 * layer's output, the prefill logits (tolerance 1e-4·max(1, max|ref|)) and 6 greedy tokens (identical).
 */
class LlavaPrefillFixtureTest {

    private static VisionLanguageModel model;

    @BeforeAll
    static void load() {
        model = VisionLanguageModel.load(SharedFixtures.fixture("llava/tiny_llava"));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static void report(String name, double diff) {
        System.out.printf("max|a-b| %-45s %.3e%n", "llava/tiny_llava_prefill " + name, diff);
    }

    @Test
    void prefillAndGreedyDecodingMatchTheReference() {
        try (NDManager scope = NDManager.newBaseManager();
                SafetensorsFile ref = SafetensorsFile.open(
                        SharedFixtures.fixture("llava/tiny_llava_prefill.safetensors"))) {
            NDArray pixels = ref.load("pixel_values", scope);
            long[] ids = ref.readLongs("input_ids");
            long[] greedy = ref.readLongs("greedy_tokens");
            Generation g = model.generate(pixels, ids, Policy.none(), scope, GenerateOptions.builder()
                    .optMaxNewTokens(greedy.length).optRecordHidden(true).optAllLogits(true).build());

            report("image_features", Tolerance.assertClose(g.image().features(), ref.load("image_features", scope),
                    1e-4, "image_features"));
            report("vision_cls_attention", Tolerance.assertClose(g.image().clsAttention(),
                    ref.load("vision_cls_attention", scope), 1e-4, "vision_cls_attention"));
            int layers = model.config().text().numLayers();
            assertThat(g.hiddenStates()).hasSize(layers);
            for (int i = 0; i < layers; i++) {
                String name = "decoder.layer." + i;
                report(name, Tolerance.assertClose(g.hiddenStates().get(name), ref.load(name, scope), 1e-4, name));
            }
            report("prefill_logits", Tolerance.assertClose(g.prefillLogits(), ref.load("prefill_logits", scope),
                    1e-4, "prefill_logits"));
            assertThat(g.lastLogits().getShape().getShape()).containsExactly(1, 300);
            assertThat(g.tokens()).containsExactly(greedy);
            assertThat(g.stopReason()).isEqualTo("max-new-tokens");
            assertThat(g.state().layout().total()).isEqualTo(78);
            assertThat(g.cache().length(0)).isEqualTo(78 + greedy.length - 1);
        }
    }
}
