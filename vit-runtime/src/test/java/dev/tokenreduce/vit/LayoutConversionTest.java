package dev.tokenreduce.vit;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.policy.Policy;
import dev.tokenreduce.core.safetensors.SafetensorsFile;
import dev.tokenreduce.core.safetensors.SafetensorsWriter;
import dev.tokenreduce.core.testing.SharedFixtures;
import dev.tokenreduce.core.testing.Tolerance;
import dev.tokenreduce.vit.config.ModelDirectory;
import dev.tokenreduce.vit.config.VitConfig;
import dev.tokenreduce.vit.config.WeightFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixtures' timm weights rewritten in the layouts the fixtures do not ship (HF DeiT, HF DINOv2 with registers,
 * HF SigLIP, a transformers ≥ 4.52 LLaVA checkpoint, a sharded checkpoint) must give the same outputs: this pins
 * every naming, key prefix and position-table layout against the reference.
 */
class LayoutConversionTest {

    @TempDir
    Path tmp;

    /** timm block tensor names → HF ViT-style names. */
    private static Map<String, NDArray> hfVitBlocks(Map<String, NDArray> timm, String prefix, boolean dinov2, int depth,
            long c) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (int i = 0; i < depth; i++) {
            String b = "blocks." + i + ".";
            String n = prefix + "encoder.layer." + i + ".";
            for (String wb : List.of("weight", "bias")) {
                out.put(n + (dinov2 ? "norm1." : "layernorm_before.") + wb, timm.get(b + "norm1." + wb));
                NDArray qkv = timm.get(b + "attn.qkv." + wb);
                out.put(n + "attention.attention.query." + wb, qkv.get(new NDIndex("0:{}", c)));
                out.put(n + "attention.attention.key." + wb, qkv.get(new NDIndex("{}:{}", c, 2 * c)));
                out.put(n + "attention.attention.value." + wb, qkv.get(new NDIndex("{}:", 2 * c)));
                out.put(n + "attention.output.dense." + wb, timm.get(b + "attn.proj." + wb));
                out.put(n + (dinov2 ? "norm2." : "layernorm_after.") + wb, timm.get(b + "norm2." + wb));
                out.put(n + (dinov2 ? "mlp.fc1." : "intermediate.dense.") + wb, timm.get(b + "mlp.fc1." + wb));
                out.put(n + (dinov2 ? "mlp.fc2." : "output.dense.") + wb, timm.get(b + "mlp.fc2." + wb));
            }
            if (timm.containsKey(b + "ls1.gamma")) {
                out.put(n + "layer_scale1.lambda1", timm.get(b + "ls1.gamma"));
                out.put(n + "layer_scale2.lambda1", timm.get(b + "ls2.gamma"));
            }
        }
        return out;
    }

    private void assertMatchesFixture(Path modelDir, String model) {
        for (String io : List.of("io_64x64.safetensors", "io_80x96.safetensors")) {
            try (VisionEncoder vit = VisionEncoder.load(modelDir);
                    NDManager scope = NDManager.newBaseManager();
                    SafetensorsFile ref = SafetensorsFile.open(SharedFixtures.fixture("vit/" + model + "/" + io))) {
                EncoderOutput out = vit.encode(ref.load("pixel_values", scope), Policy.none(), scope,
                        EncodeOptions.builder().optRecord("embeddings", "block.3").build());
                double d = Tolerance.assertClose(out.intermediate("embeddings"), ref.load("embeddings", scope), 1e-4,
                        modelDir.getFileName() + " " + io + " embeddings");
                d = Math.max(d, Tolerance.assertClose(out.intermediate("block.3"), ref.load("block.3", scope), 1e-4,
                        modelDir.getFileName() + " " + io + " block.3"));
                d = Math.max(d, Tolerance.assertClose(out.finalTokens(), ref.load("final", scope), 1e-4,
                        modelDir.getFileName() + " " + io + " final"));
                System.out.printf("max|a-b| %-45s %.3e%n", modelDir.getFileName() + " " + io, d);
            }
        }
    }

    @Test
    void hfDeitDistilled() {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> timm = ModelDirs.read(SharedFixtures.fixture("vit/deit_distilled/timm/model.safetensors"), m);
            Map<String, NDArray> hf = new LinkedHashMap<>();
            hf.put("deit.embeddings.cls_token", timm.get("cls_token"));
            hf.put("deit.embeddings.distillation_token", timm.get("dist_token"));
            hf.put("deit.embeddings.position_embeddings", timm.get("pos_embed"));
            hf.put("deit.embeddings.patch_embeddings.projection.weight", timm.get("patch_embed.proj.weight"));
            hf.put("deit.embeddings.patch_embeddings.projection.bias", timm.get("patch_embed.proj.bias"));
            hf.putAll(hfVitBlocks(timm, "deit.", false, 4, 64));
            hf.put("deit.layernorm.weight", timm.get("norm.weight"));
            hf.put("deit.layernorm.bias", timm.get("norm.bias"));
            hf.put("cls_classifier.weight", timm.get("head.weight"));
            Path dir = ModelDirs.write(tmp.resolve("hf-deit"), """
                    {"model_type": "deit", "hidden_size": 64, "num_hidden_layers": 4, "num_attention_heads": 4,
                     "intermediate_size": 256, "hidden_act": "gelu", "layer_norm_eps": 1e-6, "image_size": 64,
                     "patch_size": 8, "num_channels": 3, "qkv_bias": true}""", hf);
            VitConfig config = ModelDirectory.open(dir).config();
            assertThat(config.weightFormat()).isEqualTo(WeightFormat.HF_VIT);
            assertThat(config.prefixTokens()).isEqualTo(2);
            assertMatchesFixture(dir, "deit_distilled");
        }
    }

    @Test
    void hfDinov2WithRegisters() {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> timm = ModelDirs.read(
                    SharedFixtures.fixture("vit/vit_reg_layerscale/timm/model.safetensors"), m);
            Map<String, NDArray> hf = new LinkedHashMap<>();
            hf.put("embeddings.cls_token", timm.get("cls_token"));
            hf.put("embeddings.mask_token", m.zeros(new Shape(1, 64)));
            hf.put("embeddings.register_tokens", timm.get("reg_token"));
            // HF keeps a [CLS] position row; timm's no_embed_class table has none, i.e. a zero row
            hf.put("embeddings.position_embeddings",
                    NDArrays.concat(new NDList(m.zeros(new Shape(1, 1, 64)), timm.get("pos_embed")), 1));
            hf.put("embeddings.patch_embeddings.projection.weight", timm.get("patch_embed.proj.weight"));
            hf.put("embeddings.patch_embeddings.projection.bias", timm.get("patch_embed.proj.bias"));
            hf.putAll(hfVitBlocks(timm, "", true, 4, 64));
            hf.put("layernorm.weight", timm.get("norm.weight"));
            hf.put("layernorm.bias", timm.get("norm.bias"));
            Path dir = ModelDirs.write(tmp.resolve("hf-dinov2-reg"), """
                    {"model_type": "dinov2_with_registers", "hidden_size": 64, "num_hidden_layers": 4,
                     "num_attention_heads": 4, "mlp_ratio": 4, "hidden_act": "gelu", "layer_norm_eps": 1e-6,
                     "image_size": 64, "patch_size": 8, "num_register_tokens": 4, "layerscale_value": 1.0}""", hf);
            VitConfig config = ModelDirectory.open(dir).config();
            assertThat(config.weightFormat()).isEqualTo(WeightFormat.HF_DINOV2);
            assertThat(config.positionPrefixRows()).isEqualTo(1);
            assertMatchesFixture(dir, "vit_reg_layerscale");
        }
    }

    @Test
    void hfSiglipVisionModel() {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> timm = ModelDirs.read(SharedFixtures.fixture("vit/vit_noclass_avg/timm/model.safetensors"), m);
            Map<String, NDArray> hf = new LinkedHashMap<>();
            String p = "vision_model.";
            hf.put(p + "embeddings.patch_embedding.weight", timm.get("patch_embed.proj.weight"));
            hf.put(p + "embeddings.patch_embedding.bias", timm.get("patch_embed.proj.bias"));
            hf.put(p + "embeddings.position_embedding.weight", timm.get("pos_embed").squeeze(0));
            for (int i = 0; i < 4; i++) {
                String b = "blocks." + i + ".";
                String n = p + "encoder.layers." + i + ".";
                for (String wb : List.of("weight", "bias")) {
                    hf.put(n + "layer_norm1." + wb, timm.get(b + "norm1." + wb));
                    NDArray qkv = timm.get(b + "attn.qkv." + wb);
                    hf.put(n + "self_attn.q_proj." + wb, qkv.get(new NDIndex("0:64")));
                    hf.put(n + "self_attn.k_proj." + wb, qkv.get(new NDIndex("64:128")));
                    hf.put(n + "self_attn.v_proj." + wb, qkv.get(new NDIndex("128:")));
                    hf.put(n + "self_attn.out_proj." + wb, timm.get(b + "attn.proj." + wb));
                    hf.put(n + "layer_norm2." + wb, timm.get(b + "norm2." + wb));
                    hf.put(n + "mlp.fc1." + wb, timm.get(b + "mlp.fc1." + wb));
                    hf.put(n + "mlp.fc2." + wb, timm.get(b + "mlp.fc2." + wb));
                }
            }
            hf.put(p + "post_layernorm.weight", timm.get("norm.weight"));
            hf.put(p + "post_layernorm.bias", timm.get("norm.bias"));
            Path dir = ModelDirs.write(tmp.resolve("hf-siglip"), """
                    {"model_type": "siglip_vision_model", "hidden_size": 64, "intermediate_size": 256,
                     "num_hidden_layers": 4, "num_attention_heads": 4, "image_size": 64, "patch_size": 8,
                     "hidden_act": "gelu", "layer_norm_eps": 1e-6}""", hf);
            assertThat(ModelDirectory.open(dir).config().weightFormat()).isEqualTo(WeightFormat.HF_SIGLIP);
            assertMatchesFixture(dir, "vit_noclass_avg");
        }
    }

    @Test
    void llavaCheckpointWithTheNewKeyPrefix() {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> clip = ModelDirs.read(SharedFixtures.fixture("vit/vit_clip/hf/model.safetensors"), m);
            Map<String, NDArray> llava = new LinkedHashMap<>();
            clip.forEach((k, v) -> llava.put("model.vision_tower." + k, v));
            llava.put("model.language_model.embed_tokens.weight", m.zeros(new Shape(10, 8)));
            llava.put("model.multi_modal_projector.linear_1.weight", m.zeros(new Shape(8, 64)));
            llava.put("lm_head.weight", m.zeros(new Shape(10, 8)));
            Path dir = ModelDirs.write(tmp.resolve("llava"), """
                    {"model_type": "llava", "vision_feature_layer": -2,
                     "vision_config": {"model_type": "clip_vision_model", "hidden_size": 64, "intermediate_size": 256,
                       "num_hidden_layers": 4, "num_attention_heads": 4, "image_size": 64, "patch_size": 8,
                       "hidden_act": "quick_gelu", "layer_norm_eps": 1e-5},
                     "text_config": {"model_type": "llama", "hidden_size": 8}}""", llava);
            assertThat(ModelDirectory.open(dir).config().source()).isEqualTo("hf:llava/clip_vision_model");
            assertMatchesFixture(dir, "vit_clip");
        }
    }

    @Test
    void qkvWithoutBiasEqualsAZeroBias() {
        // qkv_bias: false (no tensors) must behave exactly like a zero bias
        try (NDManager m = NDManager.newBaseManager()) {
            Path src = SharedFixtures.fixture("vit/vit_plain/timm");
            Map<String, NDArray> zeroBias = new LinkedHashMap<>(ModelDirs.read(src.resolve("model.safetensors"), m));
            Map<String, NDArray> noBias = new LinkedHashMap<>(zeroBias);
            for (int i = 0; i < 4; i++) {
                zeroBias.put("blocks." + i + ".attn.qkv.bias", m.zeros(new Shape(192)));
                noBias.remove("blocks." + i + ".attn.qkv.bias");
            }
            String config = ModelDirs.readConfig(src);
            Path a = ModelDirs.write(tmp.resolve("zero-bias"), config, zeroBias);
            Path b = ModelDirs.write(tmp.resolve("no-bias"), config.replace("\"depth\": 4,", "\"depth\": 4, \"qkv_bias\": false,"),
                    noBias);
            try (VisionEncoder withZero = VisionEncoder.load(a); VisionEncoder without = VisionEncoder.load(b);
                    NDManager scope = NDManager.newBaseManager()) {
                assertThat(without.config().qkvBias()).isFalse();
                NDArray pixels = scope.randomNormal(new Shape(2, 3, 64, 64));
                Tolerance.assertClose(without.encode(pixels, Policy.none(), scope).finalTokens(),
                        withZero.encode(pixels, Policy.none(), scope).finalTokens(), 1e-6, "no qkv bias");
            }
        }
    }

    @Test
    void shardedCheckpoint() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Path src = SharedFixtures.fixture("vit/vit_plain/timm");
            Map<String, NDArray> all = ModelDirs.read(src.resolve("model.safetensors"), m);
            Map<String, NDArray> first = new LinkedHashMap<>();
            Map<String, NDArray> second = new LinkedHashMap<>();
            StringBuilder index = new StringBuilder("{\"metadata\": {\"total_size\": 0}, \"weight_map\": {");
            int i = 0;
            for (Map.Entry<String, NDArray> e : all.entrySet()) {
                boolean one = i++ % 2 == 0;
                (one ? first : second).put(e.getKey(), e.getValue());
                index.append(i > 1 ? ", " : "").append('"').append(e.getKey()).append("\": \"model-0000")
                        .append(one ? 1 : 2).append("-of-00002.safetensors\"");
            }
            index.append("}}");
            Path dir = Files.createDirectories(tmp.resolve("sharded"));
            Files.writeString(dir.resolve("config.json"), ModelDirs.readConfig(src));
            Files.writeString(dir.resolve("model.safetensors.index.json"), index.toString());
            SafetensorsWriter.write(dir.resolve("model-00001-of-00002.safetensors"), first, null);
            SafetensorsWriter.write(dir.resolve("model-00002-of-00002.safetensors"), second, null);
            assertMatchesFixture(dir, "vit_plain");
        }
    }
}
