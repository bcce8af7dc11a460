package dev.tokenreduce.vit.weights;

import dev.tokenreduce.vit.config.VitConfig;
import java.util.List;

/**
 * HF {@code CLIPVisionTransformer} and {@code SiglipVisionTransformer} names (relative to {@code vision_model.}).
 * The class embedding is stored as (C) and the position embedding as an (L, C) embedding table; both are
 * reshaped to the encoder's (1, n, C). HF's {@code post_layernorm} is the encoder's final norm.
 */
final class HfClipNaming implements WeightNaming {

    @Override
    public String anchor() {
        return "embeddings.patch_embedding.weight";
    }

    @Override
    public String blockProbe(int index) {
        return "encoder.layers." + index + ".layer_norm1.weight";
    }

    @Override
    public List<TensorSpec> specs(VitConfig cfg) {
        SpecList s = new SpecList(cfg);
        long c = s.c;
        long p = cfg.patchSize();
        s.add("patch.weight", "embeddings.patch_embedding.weight", c, cfg.channels(), p, p);
        if (cfg.patchBias()) {
            s.add("patch.bias", "embeddings.patch_embedding.bias", c);
        }
        if (cfg.classToken()) {
            s.reshaped("cls", "embeddings.class_embedding", new long[] {c}, 1, 1, c);
        }
        long rows = cfg.positionRows();
        s.reshaped("pos", "embeddings.position_embedding.weight", new long[] {rows, c}, 1, rows, c);
        if (cfg.preNorm()) {
            s.norm("pre", "pre_layrnorm");
        }
        for (int i = 0; i < cfg.depth(); i++) {
            String b = "blocks." + i;
            String n = "encoder.layers." + i;
            s.norm(b + ".norm1", n + ".layer_norm1");
            s.linear(b + ".q", n + ".self_attn.q_proj", c, c, cfg.qkvBias());
            s.linear(b + ".k", n + ".self_attn.k_proj", c, c, cfg.qkvBias());
            s.linear(b + ".v", n + ".self_attn.v_proj", c, c, cfg.qkvBias());
            s.linear(b + ".proj", n + ".self_attn.out_proj", c, c, true);
            s.norm(b + ".norm2", n + ".layer_norm2");
            s.linear(b + ".fc1", n + ".mlp.fc1", s.hidden, c, true);
            s.linear(b + ".fc2", n + ".mlp.fc2", c, s.hidden, true);
        }
        if (cfg.finalNorm()) {
            s.norm("norm", "post_layernorm");
        }
        return s.list();
    }
}
