package dev.tokenreduce.vit.head;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenreduce.core.TokenReduceException;
import dev.tokenreduce.core.safetensors.SafetensorsCheckpoint;
import dev.tokenreduce.vit.ModelFormatException;
import dev.tokenreduce.vit.config.ModelDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds and loads the dense head of a model directory.
 *
 * <p>The head's tensors live in {@value #HEAD_FILE} when that file exists, else in the encoder's checkpoint. A
 * checkpoint with {@value MaskTransformerNames#CLS_EMB} holds a Segmenter {@link MaskTransformerHead} (mmseg
 * Segmenter checkpoints also carry an unused {@code decode_head.conv_seg}, so the class embeddings decide); otherwise
 * it holds a {@link LinearSegmentationHead}. The mask transformer's head count comes from {@code config.json}:
 * <pre>{@code "decode_head": {"num_heads": 12, "norm_eps": 1e-5}}</pre>
 * ({@value #NUM_HEADS_FIELD} required, {@value #NORM_EPS_FIELD} optional, default
 * {@link MaskTransformerHead#DEFAULT_EPS}).
 */
public final class SegmentationHeads {

    /** Optional separate checkpoint holding only the head. */
    public static final String HEAD_FILE = "head.safetensors";
    /** config.json object with the decoder's settings. */
    public static final String DECODE_HEAD_FIELD = "decode_head";
    /** Attention heads of the mask transformer (inside {@value #DECODE_HEAD_FIELD}). */
    public static final String NUM_HEADS_FIELD = "num_heads";
    /** LayerNorm epsilon of the mask transformer (inside {@value #DECODE_HEAD_FIELD}). */
    public static final String NORM_EPS_FIELD = "norm_eps";

    private SegmentationHeads() {}

    /**
     * Loads the head of {@code directory} into {@code manager} (F32).
     *
     * @throws ModelFormatException for a missing head, missing or mis-shaped tensors, or a mask transformer without
     *     {@code decode_head.num_heads} in config.json
     */
    public static SegmentationHead load(Path directory, NDManager manager) {
        Path headFile = directory.resolve(HEAD_FILE);
        try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(
                Files.isRegularFile(headFile) ? headFile : directory)) {
            return load(checkpoint, directory.resolve(ModelDirectory.CONFIG), manager);
        }
    }

    /**
     * The kind of head {@code directory} holds, judged from tensor names only (nothing is loaded), or {@code null}
     * when it holds none or has no readable safetensors checkpoint (e.g. an encoder-only directory).
     */
    public static HeadKind detect(Path directory) {
        Path headFile = directory.resolve(HEAD_FILE);
        try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(
                Files.isRegularFile(headFile) ? headFile : directory)) {
            if (MaskTransformerHead.isPresent(checkpoint)) {
                return HeadKind.MASK_TRANSFORMER;
            }
            return checkpoint.contains(LinearSegmentationHead.WEIGHT)
                    || checkpoint.contains(LinearSegmentationHead.MMSEG_WEIGHT) ? HeadKind.LINEAR : null;
        } catch (TokenReduceException | UncheckedIOException e) {
            // no (readable) safetensors checkpoint: nothing to detect; loading reports the actual problem
            return null;
        }
    }

    /**
     * Loads the head held by {@code checkpoint}; {@code config} (a config.json) is read only for a mask
     * transformer.
     */
    public static SegmentationHead load(SafetensorsCheckpoint checkpoint, Path config, NDManager manager) {
        if (!MaskTransformerHead.isPresent(checkpoint)) {
            return LinearSegmentationHead.load(checkpoint, manager);
        }
        JsonNode decodeHead = readConfig(config).get(DECODE_HEAD_FIELD);
        JsonNode heads = decodeHead == null ? null : decodeHead.get(NUM_HEADS_FIELD);
        if (heads == null || !heads.isIntegralNumber() || !heads.canConvertToInt() || heads.intValue() < 1) {
            throw new ModelFormatException(config + ": " + checkpoint.path() + " holds a mask-transformer head ('"
                    + MaskTransformerNames.CLS_EMB + "'), which needs a positive integer " + DECODE_HEAD_FIELD + "."
                    + NUM_HEADS_FIELD + " (e.g. \"" + DECODE_HEAD_FIELD + "\": {\"" + NUM_HEADS_FIELD
                    + "\": 12}); found " + (heads == null ? "none" : heads.toString()));
        }
        float eps = MaskTransformerHead.DEFAULT_EPS;
        JsonNode epsNode = decodeHead.get(NORM_EPS_FIELD);
        if (epsNode != null && !epsNode.isNull()) {
            if (!epsNode.isNumber() || !(epsNode.doubleValue() > 0)) {
                throw new ModelFormatException(config + ": " + DECODE_HEAD_FIELD + "." + NORM_EPS_FIELD
                        + " must be a positive number, got " + epsNode);
            }
            eps = epsNode.floatValue();
        }
        return MaskTransformerHead.load(checkpoint, heads.intValue(), eps, manager);
    }

    /** The top-level JSON object of a config.json. */
    static JsonNode readConfig(Path config) {
        try {
            JsonNode root = new ObjectMapper().readTree(Files.readString(config));
            if (root == null || !root.isObject()) {
                throw new ModelFormatException(config + ": expected a JSON object");
            }
            return root;
        } catch (IOException e) {
            throw new ModelFormatException(config + ": cannot read (" + e.getMessage() + ")", e);
        }
    }
}
