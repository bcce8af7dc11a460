package dev.tokenreduce.vit.lvlm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tokenreduce.core.policy.Policy;
import dev.tokenreduce.core.safetensors.SafetensorsFile;
import dev.tokenreduce.core.safetensors.SafetensorsWriter;
import dev.tokenreduce.core.testing.SharedFixtures;
import dev.tokenreduce.core.testing.Tolerance;
import dev.tokenreduce.vit.ModelFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoint layouts and malformed checkpoints of the LLaVA runtime. */
class LlavaLoadingTest {

    private static final Path MODEL = SharedFixtures.fixture("llava/tiny_llava");

    @TempDir
    Path dir;

    private static Map<String, NDArray> tensors(NDManager manager) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(MODEL.resolve("model.safetensors"))) {
            for (String name : f.names()) {
                out.put(name, f.load(name, manager));
            }
        }
        return out;
    }

    private Path write(String name, String config, Map<String, NDArray> tensors) throws IOException {
        Path d = Files.createDirectories(dir.resolve(name));
        Files.writeString(d.resolve("config.json"), config);
        SafetensorsWriter.write(d.resolve("model.safetensors"), tensors, Map.of("format", "pt"));
        return d;
    }

    private static String config() throws IOException {
        return Files.readString(MODEL.resolve("config.json"));
    }

    /** transformers >= 4.52 moved the towers under model.* and lm_head to the top. */
    private static String renamed(String key) {
        if (key.startsWith("language_model.model.")) {
            return "model.language_model." + key.substring("language_model.model.".length());
        }
        if (key.startsWith("language_model.lm_head.")) {
            return key.substring("language_model.".length());
        }
        return "model." + key;
    }

    @Test
    void transformers452LayoutGivesTheSameLogits() throws IOException {
        try (NDManager m = NDManager.newBaseManager();
                SafetensorsFile ref = SafetensorsFile.open(
                        SharedFixtures.fixture("llava/tiny_llava_prefill.safetensors"))) {
            Map<String, NDArray> moved = new LinkedHashMap<>();
            tensors(m).forEach((k, v) -> moved.put(renamed(k), v));
            assertThat(moved).containsKeys("model.vision_tower.vision_model.pre_layrnorm.weight",
                    "model.multi_modal_projector.linear_1.weight", "model.language_model.layers.0.mlp.up_proj.weight",
                    "lm_head.weight");
            Path d = write("new-layout", config(), moved);
            try (VisionLanguageModel model = VisionLanguageModel.load(d)) {
                Generation g = model.prefill(ref.load("pixel_values", m), ref.readLongs("input_ids"), Policy.none(), m);
                NDArray expected = ref.load("prefill_logits", m).get(":, -1, :");
                Tolerance.assertClose(g.lastLogits(), expected, 1e-4, "last logits (transformers >= 4.52 keys)");
            }
        }
    }

    @Test
    void missingAndMisShapedTensorsAreListedWithExpectedAndFound() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> t = tensors(m);
            t.remove("language_model.model.layers.1.mlp.up_proj.weight");
            t.put("language_model.lm_head.weight", m.zeros(new ai.djl.ndarray.types.Shape(299, 64)));
            Path d = write("broken", config(), t);
            assertThatThrownBy(() -> VisionLanguageModel.load(d))
                    .isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining("2 problem(s)")
                    .hasMessageContaining("missing language_model.model.layers.1.mlp.up_proj.weight [192, 64]")
                    .hasMessageContaining("mis-shaped language_model.lm_head.weight: expected [300, 64], found [299, 64]");
        }
    }

    @Test
    void missingVisionTensorAndNoLanguageModelAreErrors() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> t = tensors(m);
            t.remove("vision_tower.vision_model.encoder.layers.0.mlp.fc1.weight");
            Path d = write("no-fc1", config(), t);
            assertThatThrownBy(() -> VisionLanguageModel.load(d)).isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining("vision_tower.vision_model.encoder.layers.0.mlp.fc1.weight");
            Map<String, NDArray> vision = new LinkedHashMap<>(tensors(m));
            vision.keySet().removeIf(k -> k.startsWith("language_model."));
            Path v = write("vision-only", config(), vision);
            assertThatThrownBy(() -> VisionLanguageModel.load(v)).isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining("no language-model token embedding")
                    .hasMessageContaining("language_model.model.embed_tokens.weight");
        }
    }

    @Test
    void configsThatAreNotLlavaShapedAreErrors() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> t = tensors(m);
            Path notLlava = write("clip", config().replaceFirst("\"model_type\": \"llava\"",
                    "\"model_type\": \"clip\""), t);
            assertThatThrownBy(() -> VisionLanguageModel.load(notLlava)).isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining("expected 'llava'");
            Path mistral = write("mistral", config().replace("\"model_type\": \"llama\"",
                    "\"model_type\": \"mistral\""), t);
            assertThatThrownBy(() -> VisionLanguageModel.load(mistral)).isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining("unsupported language model 'mistral'");
            Path kv = write("kv", config().replace("\"num_key_value_heads\": 2", "\"num_key_value_heads\": 3"), t);
            assertThatThrownBy(() -> VisionLanguageModel.load(kv)).isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining("not a multiple of num_key_value_heads 3");
        }
    }

    @Test
    void fullStrategyKeepsClsAndLayerMinusOneRunsEveryBlock() throws IOException {
        try (NDManager m = NDManager.newBaseManager();
                SafetensorsFile ref = SafetensorsFile.open(
                        SharedFixtures.fixture("llava/tiny_llava_prefill.safetensors"))) {
            Path full = write("full", config().replace("\"vision_feature_select_strategy\": \"default\"",
                    "\"vision_feature_select_strategy\": \"full\""), tensors(m));
            NDArray pixels = ref.load("pixel_values", m);
            try (VisionLanguageModel model = VisionLanguageModel.load(full)) {
                ImageFeatures f = model.encodeImage(pixels, m);
                assertThat(f.features().getShape().getShape()).containsExactly(1, 65, 64);
                Tolerance.assertClose(f.features().get(":, 1:, :"), ref.load("image_features", m), 1e-4,
                        "patch features under 'full'");
                Tolerance.assertClose(f.clsAttention().get(":, 1:"), ref.load("vision_cls_attention", m), 1e-4,
                        "patch columns of the [CLS] attention");
                assertThat(f.clsAttention().sum().getFloat()).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-5f));
                assertThat(model.prefill(pixels, ref.readLongs("input_ids"), Policy.none(), m).state().layout().visual())
                        .isEqualTo(65);
            }
            Path last = write("last", config().replace("\"vision_feature_layer\": -2", "\"vision_feature_layer\": -1"),
                    tensors(m));
            assertThat(LlavaConfig.read(last).featureBlocks()).isEqualTo(3);
            Path beyond = write("beyond", config().replace("\"vision_feature_layer\": -2",
                    "\"vision_feature_layer\": -5"), tensors(m));
            assertThatThrownBy(() -> LlavaConfig.read(beyond)).isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining("vision_feature_layer").hasMessageContaining("-5 is outside");
        }
    }

    @Test
    void configIsResolved() {
        LlavaConfig c = LlavaConfig.read(MODEL);
        assertThat(c.imageTokenIndex()).isEqualTo(299);
        assertThat(c.featureBlocks()).isEqualTo(2);
        assertThat(c.featureSelect()).isEqualTo(FeatureSelect.DEFAULT);
        assertThat(c.imageTokens()).isEqualTo(64);
        assertThat(c.text().groups()).isEqualTo(2);
        assertThat(c.text().headDim()).isEqualTo(16);
        assertThat(c.text().rmsNormEps()).isEqualTo(1e-5);
    }
}
