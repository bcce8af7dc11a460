package dev.tokenreduce.vit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenreduce.core.GridSize;
import dev.tokenreduce.core.testing.SharedFixtures;
import dev.tokenreduce.vit.ModelFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Family defaults of standard timm names and HF model types, and the fixtures' configs. */
class VitConfigResolutionTest {

    @TempDir
    Path tmp;

    private VitConfig resolve(String json) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("m" + System.nanoTime()));
        Files.writeString(dir.resolve("config.json"), json);
        return ModelDirectory.open(dir).config();
    }

    private VitConfig timm(String architecture) throws IOException {
        return resolve("{\"architecture\": \"" + architecture + "\"}");
    }

    @Test
    void plainTimmSizes() throws IOException {
        VitConfig b = timm("vit_base_patch16_224.augreg_in21k_ft_in1k");
        assertThat(b.embedDim()).isEqualTo(768);
        assertThat(b.depth()).isEqualTo(12);
        assertThat(b.numHeads()).isEqualTo(12);
        assertThat(b.mlpHidden()).isEqualTo(3072);
        assertThat(b.patchSize()).isEqualTo(16);
        assertThat(b.positionGrid()).isEqualTo(new GridSize(14, 14));
        assertThat(b.prefixTokens()).isEqualTo(1);
        assertThat(b.layerNormEps()).isEqualTo(1e-6);
        assertThat(b.activation()).isEqualTo(Activation.GELU);
        assertThat(b.finalNorm()).isTrue();
        VitConfig l = timm("vit_large_patch16_384");
        assertThat(l.embedDim()).isEqualTo(1024);
        assertThat(l.depth()).isEqualTo(24);
        assertThat(l.numHeads()).isEqualTo(16);
        assertThat(l.imageHeight()).isEqualTo(384);
        assertThat(timm("vit_huge_patch14_224").embedDim()).isEqualTo(1280);
        assertThat(timm("vit_tiny_patch16_224").numHeads()).isEqualTo(3);
    }

    @Test
    void clipFamily() throws IOException {
        VitConfig c = timm("vit_large_patch14_clip_336.openai");
        assertThat(c.family()).isEqualTo("clip");
        assertThat(c.preNorm()).isTrue();
        assertThat(c.patchBias()).isFalse();
        assertThat(c.layerNormEps()).isEqualTo(1e-5);
        assertThat(c.activation()).isEqualTo(Activation.GELU);
        assertThat(c.imageHeight()).isEqualTo(336);
        assertThat(c.imageMean()).containsExactly(0.48145466, 0.4578275, 0.40821073);
        assertThat(timm("vit_base_patch16_clip_quickgelu_224").activation()).isEqualTo(Activation.QUICK_GELU);
    }

    @Test
    void dinov2AndRegisters() throws IOException {
        VitConfig d = timm("vit_small_patch14_dinov2.lvd142m");
        assertThat(d.layerScale()).isTrue();
        assertThat(d.patchSize()).isEqualTo(14);
        assertThat(d.imageHeight()).isEqualTo(518);
        assertThat(d.positionPrefixRows()).isEqualTo(1);
        VitConfig r = timm("vit_base_patch14_reg4_dinov2");
        assertThat(r.registerTokens()).isEqualTo(4);
        assertThat(r.prefixTokens()).isEqualTo(5);
        assertThat(r.positionPrefixRows()).isZero();
        assertThat(r.positionRows()).isEqualTo(37 * 37);
        assertThatThrownBy(() -> timm("vit_giant_patch14_dinov2")).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("SwiGLU");
    }

    @Test
    void deitSiglipAndPooling() throws IOException {
        VitConfig d = timm("deit_base_distilled_patch16_384");
        assertThat(d.distillationToken()).isTrue();
        assertThat(d.prefixTokens()).isEqualTo(2);
        assertThat(d.positionPrefixRows()).isEqualTo(2);
        VitConfig d3 = timm("deit3_small_patch16_224");
        assertThat(d3.layerScale()).isTrue();
        assertThat(d3.positionPrefixRows()).isZero();
        VitConfig s = timm("vit_so400m_patch14_siglip_384");
        assertThat(s.classToken()).isFalse();
        assertThat(s.mlpHidden()).isEqualTo(4304);
        assertThat(s.depth()).isEqualTo(27);
        assertThat(s.finalNorm()).isTrue();
        // global average pooling without fc_norm moves the norm after pooling: token features are not normalised
        VitConfig avg = resolve("{\"architecture\": \"vit_base_patch16_224\", \"model_args\": {\"global_pool\": \"avg\"}}");
        assertThat(avg.finalNorm()).isFalse();
    }

    @Test
    void modelArgsOverrideTheFamily() throws IOException {
        VitConfig c = resolve("""
                {"architecture": "vit_base_patch16_224", "model_args": {"img_size": [96, 128], "patch_size": 8,
                 "embed_dim": 64, "depth": 2, "num_heads": 2, "mlp_ratio": 2.0, "qkv_bias": false,
                 "reg_tokens": 2, "no_embed_class": true, "init_values": 1e-5, "act_layer": "quick_gelu"}}""");
        assertThat(c.positionGrid()).isEqualTo(new GridSize(12, 16));
        assertThat(c.mlpHidden()).isEqualTo(128);
        assertThat(c.qkvBias()).isFalse();
        assertThat(c.prefixTokens()).isEqualTo(3);
        assertThat(c.positionPrefixRows()).isZero();
        assertThat(c.layerScale()).isTrue();
        assertThat(c.activation()).isEqualTo(Activation.QUICK_GELU);
    }

    @Test
    void fixtureConfigs() {
        VitConfig clip = ModelDirectory.open(SharedFixtures.fixture("vit/vit_clip/timm")).config();
        assertThat(clip.preNorm()).isTrue();
        assertThat(clip.patchBias()).isFalse();
        assertThat(clip.layerNormEps()).isEqualTo(1e-5);
        assertThat(clip.activation()).isEqualTo(Activation.QUICK_GELU);
        VitConfig hfClip = ModelDirectory.open(SharedFixtures.fixture("vit/vit_clip/hf")).config();
        assertThat(hfClip.toBuilder().source(clip.source()).weightFormat(WeightFormat.TIMM).build())
                .isEqualTo(clip);
        VitConfig reg = ModelDirectory.open(SharedFixtures.fixture("vit/vit_reg_layerscale/timm")).config();
        assertThat(reg.prefixTokens()).isEqualTo(5);
        assertThat(reg.positionPrefixRows()).isZero();
        assertThat(reg.layerScale()).isTrue();
        VitConfig noclass = ModelDirectory.open(SharedFixtures.fixture("vit/vit_noclass_avg/timm")).config();
        assertThat(noclass.prefixTokens()).isZero();
        assertThat(noclass.finalNorm()).isTrue();
        VitConfig hfPlain = ModelDirectory.open(SharedFixtures.fixture("vit/vit_plain/hf")).config();
        assertThat(hfPlain.weightFormat()).isEqualTo(WeightFormat.HF_VIT);
        assertThat(hfPlain.layerNormEps()).isEqualTo(1e-6);
    }

    @Test
    void hfDefaultsAndPreprocessor() throws IOException {
        VitConfig vit = resolve("{\"model_type\": \"vit\"}");
        assertThat(vit.layerNormEps()).isEqualTo(1e-12);
        assertThat(vit.embedDim()).isEqualTo(768);
        VitConfig clip = resolve("{\"model_type\": \"clip\", \"vision_config\": {\"patch_size\": 14, \"image_size\": 336,"
                + " \"hidden_size\": 1024, \"intermediate_size\": 4096, \"num_hidden_layers\": 24,"
                + " \"num_attention_heads\": 16}}");
        assertThat(clip.activation()).isEqualTo(Activation.QUICK_GELU);
        assertThat(clip.positionGrid()).isEqualTo(new GridSize(24, 24));
        assertThat(clip.weightFormat()).isEqualTo(WeightFormat.HF_CLIP);
        VitConfig siglip = resolve("{\"model_type\": \"siglip_vision_model\"}");
        assertThat(siglip.activation()).isEqualTo(Activation.GELU_TANH);
        assertThat(siglip.classToken()).isFalse();
        Path dir = Files.createDirectories(tmp.resolve("pre"));
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"dinov2\"}");
        Files.writeString(dir.resolve("preprocessor_config.json"),
                "{\"image_mean\": [0.1, 0.2, 0.3], \"image_std\": [0.4, 0.5, 0.6]}");
        VitConfig d = ModelDirectory.open(dir).config();
        assertThat(d.imageMean()).containsExactly(0.1, 0.2, 0.3);
        assertThat(d.imageStd()).containsExactly(0.4, 0.5, 0.6);
        assertThat(d.positionGrid()).isEqualTo(new GridSize(37, 37));
        assertThatThrownBy(() -> resolve("{\"model_type\": \"dinov2\", \"use_swiglu_ffn\": true}"))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("use_swiglu_ffn");
        assertThatThrownBy(() -> resolve("{\"model_type\": \"vit\", \"hidden_size\": 100, \"num_attention_heads\": 3}"))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("not a multiple of 3 heads");
        assertThatThrownBy(() -> resolve("{\"model_type\": \"vit\", \"hidden_size\": \"big\"}"))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("'hidden_size'");
    }
}
