package dev.tokenreduce.vit.config;

import java.util.List;

/** Per-channel normalisation constants of the common pretraining recipes. */
final class ImageStats {

    private ImageStats() {}

    static final List<Double> IMAGENET_MEAN = List.of(0.485, 0.456, 0.406);
    static final List<Double> IMAGENET_STD = List.of(0.229, 0.224, 0.225);
    static final List<Double> HALF = List.of(0.5, 0.5, 0.5);
    static final List<Double> CLIP_MEAN = List.of(0.48145466, 0.4578275, 0.40821073);
    static final List<Double> CLIP_STD = List.of(0.26862954, 0.26130258, 0.27577711);
    static final List<Double> ZERO = List.of(0.0, 0.0, 0.0);
    static final List<Double> ONE = List.of(1.0, 1.0, 1.0);
}
