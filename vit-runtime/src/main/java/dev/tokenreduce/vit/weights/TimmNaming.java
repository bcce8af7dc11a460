package dev.tokenreduce.vit.weights;

import dev.tokenreduce.vit.config.VitConfig;
import java.util.List;

/** timm {@code VisionTransformer} / {@code VisionTransformerDistilled} state-dict names. */
final class TimmNaming implements WeightNaming {

    @Override
    public String anchor() {
        return "patch_embed.proj.weight";
    }

    @Override
    public String blockProbe(int index) {
        return "blocks." + index + ".norm1.weight";
    }

    @Override
    public List<TensorSpec> specs(VitConfig cfg) {
        SpecList s = new SpecList(cfg);
        long c = s.c;
        long p = cfg.patchSize();
        s.add("patch.weight", "patch_embed.proj.weight", c, cfg.channels(), p, p);
        if (cfg.patchBias()) {
            s.add("patch.bias", "patch_embed.proj.bias", c);
        }
        if (cfg.classToken()) {
            s.add("cls", "cls_token", 1, 1, c);
        }
        if (cfg.distillationToken()) {
            s.add("dist", "dist_token", 1, 1, c);
        }
        if (cfg.registerTokens() > 0) {
            s.add("reg", "reg_token", 1, cfg.registerTokens(), c);
        }
        s.add("pos", "pos_embed", 1, cfg.positionRows(), c);
        if (cfg.preNorm()) {
            s.norm("pre", "norm_pre");
        }
        for (int i = 0; i < cfg.depth(); i++) {
            String b = "blocks." + i;
            s.norm(b + ".norm1", b + ".norm1");
            s.linear(b + ".qkv", b + ".attn.qkv", 3 * c, c, cfg.qkvBias());
            s.linear(b + ".proj", b + ".attn.proj", c, c, true);
            if (cfg.layerScale()) {
                s.add(b + ".ls1", b + ".ls1.gamma", c);
                s.add(b + ".ls2", b + ".ls2.gamma", c);
            }
            s.norm(b + ".norm2", b + ".norm2");
            s.linear(b + ".fc1", b + ".mlp.fc1", s.hidden, c, true);
            s.linear(b + ".fc2", b + ".mlp.fc2", c, s.hidden, true);
        }
        if (cfg.finalNorm()) {
            s.norm("norm", "norm");
        }
        return s.list();
    }
}
