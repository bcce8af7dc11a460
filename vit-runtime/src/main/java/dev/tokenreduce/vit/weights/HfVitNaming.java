package dev.tokenreduce.vit.weights;

import dev.tokenreduce.vit.config.VitConfig;
import java.util.List;

/**
 * HF {@code ViTModel}, {@code DeiTModel} and {@code Dinov2Model} (with registers) names. Query, key and value are
 * separate projections; the loader concatenates them into one fused qkv weight.
 */
final class HfVitNaming implements WeightNaming {

    private final boolean dinov2;

    HfVitNaming(boolean dinov2) {
        this.dinov2 = dinov2;
    }

    @Override
    public String anchor() {
        return "embeddings.patch_embeddings.projection.weight";
    }

    @Override
    public String blockProbe(int index) {
        return "encoder.layer." + index + (dinov2 ? ".norm1.weight" : ".layernorm_before.weight");
    }

    @Override
    public List<TensorSpec> specs(VitConfig cfg) {
        SpecList s = new SpecList(cfg);
        long c = s.c;
        long p = cfg.patchSize();
        s.add("patch.weight", "embeddings.patch_embeddings.projection.weight", c, cfg.channels(), p, p);
        s.add("patch.bias", "embeddings.patch_embeddings.projection.bias", c);
        s.add("cls", "embeddings.cls_token", 1, 1, c);
        if (cfg.distillationToken()) {
            s.add("dist", "embeddings.distillation_token", 1, 1, c);
        }
        if (cfg.registerTokens() > 0) {
            s.add("reg", "embeddings.register_tokens", 1, cfg.registerTokens(), c);
        }
        s.add("pos", "embeddings.position_embeddings", 1, cfg.positionRows(), c);
        for (int i = 0; i < cfg.depth(); i++) {
            String b = "blocks." + i;
            String n = "encoder.layer." + i;
            s.norm(b + ".norm1", n + (dinov2 ? ".norm1" : ".layernorm_before"));
            s.linear(b + ".q", n + ".attention.attention.query", c, c, cfg.qkvBias());
            s.linear(b + ".k", n + ".attention.attention.key", c, c, cfg.qkvBias());
            s.linear(b + ".v", n + ".attention.attention.value", c, c, cfg.qkvBias());
            s.linear(b + ".proj", n + ".attention.output.dense", c, c, true);
            if (cfg.layerScale()) {
                s.add(b + ".ls1", n + ".layer_scale1.lambda1", c);
                s.add(b + ".ls2", n + ".layer_scale2.lambda1", c);
            }
            s.norm(b + ".norm2", n + (dinov2 ? ".norm2" : ".layernorm_after"));
            s.linear(b + ".fc1", n + (dinov2 ? ".mlp.fc1" : ".intermediate.dense"), s.hidden, c, true);
            s.linear(b + ".fc2", n + (dinov2 ? ".mlp.fc2" : ".output.dense"), c, s.hidden, true);
        }
        if (cfg.finalNorm()) {
            s.norm("norm", "layernorm");
        }
        return s.list();
    }
}
