package dev.tokenreduce.vit.weights;

import dev.tokenreduce.vit.ModelFormatException;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The key prefixes real checkpoints put before the vision encoder's tensors: classification wrappers
 * ({@code vit.}, {@code deit.}, {@code dinov2.}), CLIP/SigLIP models ({@code vision_model.}), LLaVA checkpoints
 * ({@code vision_tower.vision_model.}, transformers ≥ 4.52's {@code model.vision_tower.vision_model.}) or none.
 */
public final class KeyPrefixes {

    /** Accepted prefixes, most specific first. */
    public static final List<String> ACCEPTED = List.of("model.vision_tower.vision_model.",
            "vision_tower.vision_model.", "model.vision_tower.", "vision_tower.", "vision_model.", "vit.", "deit.",
            "dinov2.", "");

    private KeyPrefixes() {}

    /**
     * The prefix under which {@code anchor} appears in {@code names}.
     *
     * @param where the checkpoint, for the message
     * @throws ModelFormatException when no accepted prefix holds the anchor, naming what was found instead
     */
    public static String detect(Set<String> names, String anchor, String where) {
        for (String prefix : ACCEPTED) {
            if (names.contains(prefix + anchor)) {
                return prefix;
            }
        }
        List<String> elsewhere = names.stream().filter(n -> n.endsWith(anchor)).sorted().limit(5)
                .collect(Collectors.toList());
        String found = elsewhere.isEmpty()
                ? "the checkpoint holds " + names.size() + " tensors, e.g. "
                        + names.stream().sorted().limit(8).collect(Collectors.joining(", "))
                : "found it only as " + String.join(", ", elsewhere);
        throw new ModelFormatException(where + ": expected the patch embedding '" + anchor + "' under one of the"
                + " key prefixes " + ACCEPTED.stream().map(p -> p.isEmpty() ? "(none)" : p).collect(Collectors.toList())
                + "; " + found + " (does config.json match these weights?)");
    }
}
