package dev.tokenreduce.vit.head;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenreduce.core.GridSize;
import dev.tokenreduce.core.TokenReduceException;
import dev.tokenreduce.core.policy.Policy;
import dev.tokenreduce.core.safetensors.SafetensorsCheckpoint;
import dev.tokenreduce.core.token.Restoration;
import dev.tokenreduce.core.token.TokenState;
import dev.tokenreduce.vit.EncodeOptions;
import dev.tokenreduce.vit.EncoderOutput;
import dev.tokenreduce.vit.ModelFormatException;
import dev.tokenreduce.vit.VisionEncoder;
import dev.tokenreduce.vit.config.ModelDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A {@link VisionEncoder} plus a {@link LinearSegmentationHead}: semantic segmentation under a token-reduction
 * policy.
 *
 * <p><b>Model directory.</b> The encoder's usual files ({@code config.json} + {@code model.safetensors}, e.g. timm
 * layout) with the head's tensors ({@value LinearSegmentationHead#WEIGHT}/{@value LinearSegmentationHead#BIAS}, or
 * the mmseg-style {@value LinearSegmentationHead#MMSEG_WEIGHT}) stored in the same checkpoint; a separate
 * {@value #HEAD_FILE} next to it takes precedence when present. {@code config.json} may state the class count as a
 * top-level {@value #NUM_CLASSES_FIELD} (as timm's hub configs do); a positive value must match the head (0, timm's
 * "no classifier", is not checked).
 *
 * <p><b>Reduced tokens.</b> When the final token state carries a restoration (Expedit, ToMe, pooling, random
 * selection, ...), the head runs on the <em>reduced</em> tokens and its logits are restored to the full patch grid
 * ("reconstruct logits": classes ≪ C channels, so this is cheaper than restoring the tokens). The bias-free part
 * {@code W·x} is restored and the bias added afterwards, so for every linear restoration {@code R} the result
 * {@code R(W x) + b = W R(x) + b} equals the head on restored tokens up to float rounding — also for Expedit's
 * official L2-normalised weights, whose rows do not sum to one (restoring {@code W x + b} would scale the bias by
 * the row sums). Without a restoration the head runs on all patch tokens; a state that dropped tokens without a
 * way to restore them is an error.
 */
public final class SegmentationModel implements AutoCloseable {

    /** Optional separate checkpoint holding only the head. */
    public static final String HEAD_FILE = "head.safetensors";
    /** Top-level config.json field with the number of classes. */
    public static final String NUM_CLASSES_FIELD = "num_classes";

    /** Encoder options of the short {@code predict} forms: defaults without token reconstruction. */
    private static final EncodeOptions DEFAULT_OPTIONS = EncodeOptions.builder().optReconstruct(false).build();

    private final VisionEncoder encoder;
    private final LinearSegmentationHead head;
    private final NDManager manager;
    private final Path source;

    private SegmentationModel(VisionEncoder encoder, LinearSegmentationHead head, NDManager manager, Path source) {
        this.encoder = encoder;
        this.head = head;
        this.manager = manager;
        this.source = source;
    }

    /** Loads a model directory on the default device. */
    public static SegmentationModel load(Path directory) {
        return load(directory, null);
    }

    /**
     * Loads a model directory on {@code device} (null: the engine default).
     *
     * @throws ModelFormatException for a missing head, or a head that disagrees with the encoder or the config
     */
    public static SegmentationModel load(Path directory, Device device) {
        Objects.requireNonNull(directory, "directory");
        VisionEncoder encoder = device == null ? VisionEncoder.load(directory) : VisionEncoder.load(directory, device);
        NDManager manager = device == null ? NDManager.newBaseManager() : NDManager.newBaseManager(device);
        try {
            Path headFile = directory.resolve(HEAD_FILE);
            LinearSegmentationHead head;
            try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(
                    Files.isRegularFile(headFile) ? headFile : directory)) {
                head = LinearSegmentationHead.load(checkpoint, manager);
            }
            if (head.channels() != encoder.config().embedDim()) {
                throw new ModelFormatException(directory + ": head expects " + head.channels()
                        + " channels but the encoder has embed_dim " + encoder.config().embedDim());
            }
            Integer declared = declaredClasses(directory.resolve(ModelDirectory.CONFIG));
            if (declared != null && declared > 0 && declared != head.numClasses()) {
                throw new ModelFormatException(directory + ": config.json says " + NUM_CLASSES_FIELD + "="
                        + declared + " but the head has " + head.numClasses() + " classes");
            }
            return new SegmentationModel(encoder, head, manager, directory);
        } catch (RuntimeException e) {
            manager.close();
            encoder.close();
            throw e;
        }
    }

    private static Integer declaredClasses(Path config) {
        try {
            JsonNode node = new ObjectMapper().readTree(Files.readString(config)).get(NUM_CLASSES_FIELD);
            return node == null || !node.canConvertToInt() ? null : node.intValue();
        } catch (IOException e) {
            throw new ModelFormatException(config + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    public VisionEncoder encoder() {
        return encoder;
    }

    public LinearSegmentationHead head() {
        return head;
    }

    public int numClasses() {
        return head.numClasses();
    }

    /** {@link #predict(NDArray, Policy, NDManager, int, int)} at the input's pixel size. */
    public SegmentationOutput predict(NDArray pixels, Policy policy, NDManager scope) {
        long[] s = pixels.getShape().getShape();
        int h = s.length == 4 ? (int) s[2] : 1;
        int w = s.length == 4 ? (int) s[3] : 1;
        return predict(pixels, policy, scope, h, w);
    }

    /**
     * Runs the encoder under {@code policy} and the head, returning full-grid logits and logits upsampled to
     * {@code height × width}.
     *
     * @throws dev.tokenreduce.core.InvalidInputException for bad pixels (see {@link VisionEncoder#encode})
     * @throws TokenReduceException when the policy dropped tokens without a restoration
     */
    public SegmentationOutput predict(NDArray pixels, Policy policy, NDManager scope, int height, int width) {
        return predict(pixels, policy, scope, height, width, DEFAULT_OPTIONS);
    }

    /**
     * As {@link #predict(NDArray, Policy, NDManager, int, int)} with encoder options (seed, records). The logits
     * are restored regardless; pass {@code optReconstruct(false)} (as the default options do) unless the restored
     * tokens are wanted too.
     */
    public SegmentationOutput predict(NDArray pixels, Policy policy, NDManager scope, int height, int width,
            EncodeOptions options) {
        EncodeOptions opts = options == null ? DEFAULT_OPTIONS : options;
        EncoderOutput out = encoder.encode(pixels, policy, scope, opts);
        GridSize grid = out.inputGrid();
        TokenState state = out.state();
        Restoration restoration = state.restoration();
        NDArray gridLogits;
        try (NDManager sub = scope.newSubManager()) {
            // restore W·x and add the bias afterwards: restorations are linear but not necessarily convex
            NDArray tokenLogits = head.tokenLogitsWithoutBias(state.visualTokens(), sub);
            if (restoration != null) {
                tokenLogits = restoration.restore(tokenLogits);
                tokenLogits.attach(sub);
            } else if (state.layout().visual() != grid.cells()) {
                throw new TokenReduceException("segmentation model " + source + ": policy '"
                        + (policy == null ? "none" : policy.name()) + "' left " + state.layout().visual()
                        + " of " + grid.cells() + " patch tokens and no restoration, so no dense prediction is"
                        + " possible");
            }
            tokenLogits = tokenLogits.add(head.bias());
            gridLogits = LinearSegmentationHead.toMap(tokenLogits, grid, sub);
            gridLogits.attach(scope);
        }
        NDArray logits = BilinearUpsample.apply(gridLogits, height, width, scope);
        return new SegmentationOutput(gridLogits, logits, restoration != null, out);
    }

    /** Frees the encoder and head weights. */
    @Override
    public void close() {
        manager.close();
        encoder.close();
    }

    @Override
    public String toString() {
        return "SegmentationModel(" + source + ", " + head.numClasses() + " classes)";
    }
}
