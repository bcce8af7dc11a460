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
 *
 * <p>A depth model says so in {@code config.json}; its {@code head.weight} (1, C) / {@code head.bias} (1) are then a
 * {@link LinearDepthHead}:
 * <pre>{@code "head": {"task": "depth", "activation": "sigmoid", "max_depth": 10}}</pre>
 * ({@value #TASK_FIELD} {@code depth} or {@code segmentation}, the default; {@value #ACTIVATION_FIELD} one of
 * {@code relu} (default), {@code exp}, {@code sigmoid}; {@value #MAX_DEPTH_FIELD} in metres, required by
 * {@code sigmoid} only).
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

    /** config.json object describing the head's task (depth heads). */
    public static final String HEAD_FIELD = "head";
    /** {@code depth} or {@code segmentation} (inside {@value #HEAD_FIELD}). */
    public static final String TASK_FIELD = "task";
    /** Depth activation: relu, exp or sigmoid (inside {@value #HEAD_FIELD}). */
    public static final String ACTIVATION_FIELD = "activation";
    /** Upper depth bound in metres for the sigmoid activation (inside {@value #HEAD_FIELD}). */
    public static final String MAX_DEPTH_FIELD = "max_depth";

    private SegmentationHeads() {}

    /**
     * Whether {@code directory}'s config.json declares a depth head ({@code "head": {"task": "depth"}}); false when
     * there is no config.json or no such entry.
     *
     * @throws ModelFormatException for an unreadable config.json or an unknown task
     */
    public static boolean declaresDepth(Path directory) {
        Path config = directory.resolve(ModelDirectory.CONFIG);
        return Files.isRegularFile(config) && depthHead(readConfig(config), config) != null;
    }

    /** The {@value #HEAD_FIELD} object when it declares task depth, else null (segmentation). */
    private static JsonNode depthHead(JsonNode root, Path config) {
        JsonNode head = root.get(HEAD_FIELD);
        if (head == null || !head.isObject()) {
            return null;
        }
        JsonNode task = head.get(TASK_FIELD);
        String name = task == null || task.isNull() ? "segmentation" : task.asText();
        if (name.equals("depth")) {
            return head;
        }
        if (name.equals("segmentation")) {
            return null;
        }
        throw new ModelFormatException(config + ": " + HEAD_FIELD + "." + TASK_FIELD + " must be \"depth\" or"
                + " \"segmentation\", got " + task);
    }

    /** The depth head described by {@code head} (a config.json {@value #HEAD_FIELD} object). */
    private static LinearDepthHead loadDepth(SafetensorsCheckpoint checkpoint, JsonNode head, Path config,
            NDManager manager) {
        JsonNode act = head.get(ACTIVATION_FIELD);
        DepthActivation activation;
        try {
            activation = act == null || act.isNull() ? DepthActivation.RELU : DepthActivation.parse(act.asText());
        } catch (ModelFormatException e) {
            throw new ModelFormatException(config + ": " + HEAD_FIELD + "." + ACTIVATION_FIELD + ": "
                    + e.getMessage(), e);
        }
        JsonNode max = head.get(MAX_DEPTH_FIELD);
        float maxDepth = Float.NaN;
        if (max != null && !max.isNull()) {
            if (!max.isNumber() || !(max.doubleValue() > 0)) {
                throw new ModelFormatException(config + ": " + HEAD_FIELD + "." + MAX_DEPTH_FIELD
                        + " must be a positive number of metres, got " + max);
            }
            maxDepth = max.floatValue();
        }
        if (activation == DepthActivation.SIGMOID && Float.isNaN(maxDepth)) {
            throw new ModelFormatException(config + ": the sigmoid depth activation needs " + HEAD_FIELD + "."
                    + MAX_DEPTH_FIELD + " (e.g. \"" + MAX_DEPTH_FIELD + "\": 10)");
        }
        return LinearDepthHead.load(checkpoint, activation, maxDepth, manager);
    }

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
            if (checkpoint.contains(LinearDepthHead.WEIGHT) && declaresDepth(directory)) {
                return HeadKind.LINEAR_DEPTH;
            }
            return checkpoint.contains(LinearSegmentationHead.WEIGHT)
                    || checkpoint.contains(LinearSegmentationHead.MMSEG_WEIGHT) ? HeadKind.LINEAR : null;
        } catch (TokenReduceException | UncheckedIOException e) {
            // no (readable) safetensors checkpoint: nothing to detect; loading reports the actual problem
            return null;
        }
    }

    /**
     * Loads the head held by {@code checkpoint}; {@code config} (a config.json) is read for a mask transformer and,
     * when the file exists, for a depth head's {@value #HEAD_FIELD} entry.
     */
    public static SegmentationHead load(SafetensorsCheckpoint checkpoint, Path config, NDManager manager) {
        if (Files.isRegularFile(config)) {
            JsonNode depth = depthHead(readConfig(config), config);
            if (depth != null) {
                return loadDepth(checkpoint, depth, config, manager);
            }
        }
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
