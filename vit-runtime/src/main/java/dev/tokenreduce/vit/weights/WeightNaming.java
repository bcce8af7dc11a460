package dev.tokenreduce.vit.weights;

import dev.tokenreduce.vit.config.VitConfig;
import dev.tokenreduce.vit.config.WeightFormat;
import java.util.List;

/**
 * How one checkpoint layout names the encoder's tensors. Logical keys are shared by all layouts:
 * {@code patch.weight}, {@code patch.bias}, {@code cls}, {@code dist}, {@code reg}, {@code pos}, {@code pre.weight},
 * {@code pre.bias}, {@code blocks.i.{norm1,norm2}.{weight,bias}}, {@code blocks.i.qkv.{weight,bias}} (or separate
 * {@code blocks.i.{q,k,v}.{weight,bias}}), {@code blocks.i.proj.*}, {@code blocks.i.fc1.*}, {@code blocks.i.fc2.*},
 * {@code blocks.i.ls1}, {@code blocks.i.ls2}, {@code norm.weight}, {@code norm.bias}.
 */
public interface WeightNaming {

    /** The patch-embedding weight's name, used to find the key prefix. */
    String anchor();

    /** Every tensor {@code config} needs, with expected shapes. */
    List<TensorSpec> specs(VitConfig config);

    /** The checkpoint name of the first norm of block {@code index} (to detect blocks beyond the config's depth). */
    String blockProbe(int index);

    /** The naming for a format. */
    static WeightNaming of(WeightFormat format) {
        switch (format) {
            case TIMM:
                return new TimmNaming();
            case HF_VIT:
                return new HfVitNaming(false);
            case HF_DINOV2:
                return new HfVitNaming(true);
            case HF_CLIP:
            case HF_SIGLIP:
                return new HfClipNaming();
            default:
                throw new IllegalArgumentException("no naming for " + format);
        }
    }
}
