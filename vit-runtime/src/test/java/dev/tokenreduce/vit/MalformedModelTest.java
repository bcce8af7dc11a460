package dev.tokenreduce.vit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.testing.SharedFixtures;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model directories that must not load, each with an error naming the file and what was expected. */
class MalformedModelTest {

    static final Path PLAIN = SharedFixtures.fixture("vit/vit_plain/timm");

    @TempDir
    Path tmp;

    @Test
    void unknownModelTypeListsTheSupportedOnes() {
        try (NDManager m = NDManager.newBaseManager()) {
            Path dir = ModelDirs.write(tmp.resolve("swin"), "{\"model_type\": \"swin\", \"hidden_size\": 64}",
                    ModelDirs.read(PLAIN.resolve("model.safetensors"), m));
            assertThatThrownBy(() -> VisionEncoder.load(dir)).isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining("config.json").hasMessageContaining("'swin'")
                    .hasMessageContaining("vit, deit, dinov2, dinov2_with_registers, clip_vision_model");
        }
    }

    @Test
    void unknownTimmArchitectureListsTheSupportedOnes() {
        try (NDManager m = NDManager.newBaseManager()) {
            Path dir = ModelDirs.write(tmp.resolve("resnet"), "{\"architecture\": \"resnet50\"}",
                    ModelDirs.read(PLAIN.resolve("model.safetensors"), m));
            assertThatThrownBy(() -> VisionEncoder.load(dir)).isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining("'resnet50'").hasMessageContaining("supported: vit_{tiny,small");
        }
    }

    @Test
    void configWithoutTypeOrArchitecture() {
        try (NDManager m = NDManager.newBaseManager()) {
            Path dir = ModelDirs.write(tmp.resolve("none"), "{\"hidden_size\": 64}",
                    ModelDirs.read(PLAIN.resolve("model.safetensors"), m));
            assertThatThrownBy(() -> VisionEncoder.load(dir)).isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining("neither 'model_type'").hasMessageContaining("'architecture'");
        }
        assertThatThrownBy(() -> VisionEncoder.load(tmp.resolve("absent"))).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("not found");
    }

    @Test
    void missingAndMisShapedTensorsAreListedInOneError() {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> tensors = new LinkedHashMap<>(ModelDirs.read(PLAIN.resolve("model.safetensors"), m));
            tensors.remove("blocks.2.attn.qkv.weight");
            tensors.remove("norm.bias");
            tensors.put("blocks.1.mlp.fc1.weight", m.zeros(new Shape(128, 64)));
            tensors.put("pos_embed", m.zeros(new Shape(1, 64, 64)));
            Path dir = ModelDirs.write(tmp.resolve("broken"), ModelDirs.readConfig(PLAIN), tensors);
            assertThatThrownBy(() -> VisionEncoder.load(dir)).isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining("model.safetensors").hasMessageContaining("4 problems")
                    .hasMessageContaining("missing blocks.2.attn.qkv.weight [192, 64]")
                    .hasMessageContaining("missing norm.bias [64]")
                    .hasMessageContaining("mis-shaped blocks.1.mlp.fc1.weight: expected [256, 64], found [128, 64]")
                    .hasMessageContaining("mis-shaped pos_embed: expected [1, 65, 64], found [1, 64, 64]");
        }
    }

    @Test
    void moreBlocksThanTheConfigSays() {
        String config = ModelDirs.readConfig(PLAIN).replace("\"depth\": 4", "\"depth\": 3");
        assertThat(config).contains("\"depth\": 3");
        try (NDManager m = NDManager.newBaseManager()) {
            Path dir = ModelDirs.write(tmp.resolve("deeper"), config, ModelDirs.read(PLAIN.resolve("model.safetensors"), m));
            assertThatThrownBy(() -> VisionEncoder.load(dir)).isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining("more blocks than the config's depth 3");
        }
    }

    @Test
    void unknownKeyPrefixNamesTheAcceptedOnes() {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> renamed = new LinkedHashMap<>();
            ModelDirs.read(PLAIN.resolve("model.safetensors"), m).forEach((k, v) -> renamed.put("backbone." + k, v));
            Path dir = ModelDirs.write(tmp.resolve("prefixed"), ModelDirs.readConfig(PLAIN), renamed);
            assertThatThrownBy(() -> VisionEncoder.load(dir)).isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining("backbone.patch_embed.proj.weight")
                    .hasMessageContaining("vision_tower.vision_model.");
        }
    }

    @Test
    void unsupportedActivationAndModelArgs() {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> w = ModelDirs.read(PLAIN.resolve("model.safetensors"), m);
            Path act = ModelDirs.write(tmp.resolve("act"),
                    ModelDirs.readConfig(PLAIN).replace("\"depth\": 4,", "\"depth\": 4, \"act_layer\": \"relu\","), w);
            assertThatThrownBy(() -> VisionEncoder.load(act)).isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining("act_layer").hasMessageContaining("'relu'").hasMessageContaining("quick_gelu");
            Path qkNorm = ModelDirs.write(tmp.resolve("qknorm"),
                    ModelDirs.readConfig(PLAIN).replace("\"depth\": 4,", "\"depth\": 4, \"qk_norm\": true,"), w);
            assertThatThrownBy(() -> VisionEncoder.load(qkNorm)).isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining("qk_norm");
        }
    }
}
