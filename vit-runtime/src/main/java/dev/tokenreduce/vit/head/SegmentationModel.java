package dev.tokenreduce.vit.head;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenreduce.core.GridSize;
import dev.tokenreduce.core.TokenReduceException;
import dev.tokenreduce.core.policy.Policy;
import dev.tokenreduce.core.token.Restoration;
import dev.tokenreduce.core.token.TokenState;
import dev.tokenreduce.vit.EncodeOptions;
import dev.tokenreduce.vit.EncoderOutput;
import dev.tokenreduce.vit.ModelFormatException;
import dev.tokenreduce.vit.VisionEncoder;
import dev.tokenreduce.vit.config.ModelDirectory;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A {@link VisionEncoder} plus a dense {@link SegmentationHead}: semantic segmentation under a token-reduction
 * policy.
 *
 * <p><b>Model directory.</b> The encoder's usual files ({@code config.json} + {@code model.safetensors}, e.g. timm
 * layout) with the head's tensors stored in the same checkpoint; a separate {@value #HEAD_FILE} next to it takes
 * precedence when present. {@link SegmentationHeads#load} picks the head: a Segmenter {@link MaskTransformerHead}
 * when {@value MaskTransformerNames#CLS_EMB} is present (its head count from config.json's
 * {@code "decode_head": {"num_heads": n}}), else a {@link LinearSegmentationHead}
 * ({@value LinearSegmentationHead#WEIGHT}/{@value LinearSegmentationHead#BIAS}, or the mmseg-style
 * {@value LinearSegmentationHead#MMSEG_WEIGHT}). {@code config.json} may state the class count as a top-level
 * {@value #NUM_CLASSES_FIELD} (as timm's hub configs do); a positive value must match the head (0, timm's "no
 * classifier", is not checked).
 *
 * <p><b>Reduced tokens.</b> When the final token state carries a restoration (Expedit, ToMe, pooling, random
 * selection, ...), where the restoration happens depends on the head:
 * <ul>
 *   <li><em>Linear head: restore logits.</em> The head runs on the <em>reduced</em> tokens and its logits are
 *       restored to the full patch grid (classes ≪ C channels, so this is cheaper than restoring the tokens). The
 *       bias-free part {@code W·x} is restored and the bias added afterwards, so for every linear restoration
 *       {@code R} the result {@code R(W x) + b = W R(x) + b} equals the head on restored tokens up to float
 *       rounding — also for Expedit's official L2-normalised weights, whose rows do not sum to one (restoring
 *       {@code W x + b} would scale the bias by the row sums).</li>
 *   <li><em>Mask transformer: restore tokens.</em> The decoder is non-linear and mixes tokens through attention,
 *       so restoring its output would not equal the decoder on the full grid. The reduced patch tokens are
 *       restored first (Expedit's reconstruction, ToMe's unmerge — the encoder's
 *       {@link EncoderOutput#reconstructed()} when it already computed it) and the decoder runs on the full
 *       (B, h·w, C) grid, as the Expedit paper does for Segmenter.</li>
 * </ul>
 * Without a restoration the head runs on all patch tokens; a state that dropped tokens without a way to restore
 * them is an error.
 *
 * <p>A depth model (config.json {@code "head": {"task": "depth"}}) carries a {@link LinearDepthHead}: its non-linear
 * activation puts it on the restore-tokens path, and its single "class" map is depth in metres
 * ({@link SegmentationOutput#logits()}; {@link SegmentationOutput#predictions()} does not apply).
 */
public final class SegmentationModel implements AutoCloseable {

    /** Optional separate checkpoint holding only the head. */
    public static final String HEAD_FILE = SegmentationHeads.HEAD_FILE;
    /** Top-level config.json field with the number of classes. */
    public static final String NUM_CLASSES_FIELD = "num_classes";

    /** Encoder options of the short {@code predict} forms: defaults without token reconstruction. */
    private static final EncodeOptions DEFAULT_OPTIONS = EncodeOptions.builder().optReconstruct(false).build();

    private final VisionEncoder encoder;
    private final SegmentationHead head;
    private final NDManager manager;
    private final Path source;

    private SegmentationModel(VisionEncoder encoder, SegmentationHead head, NDManager manager, Path source) {
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
            SegmentationHead head = SegmentationHeads.load(directory, manager);
            if (head.channels() != encoder.config().embedDim()) {
                throw new ModelFormatException(directory + ": " + head.kind() + " head expects " + head.channels()
                        + " channels but the encoder has embed_dim " + encoder.config().embedDim());
            }
            Integer declared = declaredClasses(directory.resolve(ModelDirectory.CONFIG));
            if (declared != null && declared > 0 && declared != head.numClasses()) {
                throw new ModelFormatException(directory + ": config.json says " + NUM_CLASSES_FIELD + "="
                        + declared + " but the " + head.kind() + " head has " + head.numClasses() + " classes");
            }
            return new SegmentationModel(encoder, head, manager, directory);
        } catch (RuntimeException e) {
            manager.close();
            encoder.close();
            throw e;
        }
    }

    private static Integer declaredClasses(Path config) {
        JsonNode node = SegmentationHeads.readConfig(config).get(NUM_CLASSES_FIELD);
        return node == null || !node.canConvertToInt() ? null : node.intValue();
    }

    public VisionEncoder encoder() {
        return encoder;
    }

    /** The dense head ({@link LinearSegmentationHead} or {@link MaskTransformerHead}). */
    public SegmentationHead head() {
        return head;
    }

    /** Which kind of head {@link #head()} is. */
    public HeadKind headKind() {
        return head.kind();
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
     * tokens are wanted too (a mask-transformer head then reuses the encoder's reconstruction instead of restoring
     * again).
     */
    public SegmentationOutput predict(NDArray pixels, Policy policy, NDManager scope, int height, int width,
            EncodeOptions options) {
        EncodeOptions opts = options == null ? DEFAULT_OPTIONS : options;
        EncoderOutput out = encoder.encode(pixels, policy, scope, opts);
        GridSize grid = out.inputGrid();
        TokenState state = out.state();
        Restoration restoration = state.restoration();
        if (restoration == null && state.layout().visual() != grid.cells()) {
            throw new TokenReduceException("segmentation model " + source + ": policy '"
                    + (policy == null ? "none" : policy.name()) + "' left " + state.layout().visual()
                    + " of " + grid.cells() + " patch tokens and no restoration, so no dense prediction is"
                    + " possible");
        }
        NDArray gridLogits = head instanceof LinearSegmentationHead linear
                ? restoredLinearLogits(linear, state, grid, scope)
                : head.logitMap(fullGridTokens(out, scope), grid, scope);
        NDArray logits = BilinearUpsample.apply(gridLogits, height, width, scope);
        return new SegmentationOutput(gridLogits, logits, restoration != null, out);
    }

    /** Linear head: restore {@code W·x} of the reduced tokens, then add the bias (see the class comment). */
    private static NDArray restoredLinearLogits(LinearSegmentationHead linear, TokenState state, GridSize grid,
            NDManager scope) {
        Restoration restoration = state.restoration();
        try (NDManager sub = scope.newSubManager()) {
            NDArray tokenLogits = linear.tokenLogitsWithoutBias(state.visualTokens(), sub);
            if (restoration != null) {
                tokenLogits = restoration.restore(tokenLogits);
                tokenLogits.attach(sub);
            }
            tokenLogits = tokenLogits.add(linear.bias());
            NDArray gridLogits = LinearSegmentationHead.toMap(tokenLogits, grid, sub);
            gridLogits.attach(scope);
            return gridLogits;
        }
    }

    /**
     * Non-linear heads: the final patch tokens on the full grid — the encoder's reconstruction when it made one,
     * else the state's restoration applied here, else (nothing reduced) the patch tokens themselves.
     */
    private static NDArray fullGridTokens(EncoderOutput out, NDManager scope) {
        if (out.reconstructed() != null) {
            return out.reconstructed();
        }
        Restoration restoration = out.state().restoration();
        if (restoration == null) {
            return out.state().visualTokens();
        }
        NDArray restored = restoration.restore(out.state().visualTokens());
        if (restored.getManager() != scope) {
            restored.attach(scope);
        }
        return restored;
    }

    /** Frees the encoder and head weights. */
    @Override
    public void close() {
        manager.close();
        encoder.close();
    }

    @Override
    public String toString() {
        return "SegmentationModel(" + source + ", " + head.kind() + " head, " + head.numClasses() + " classes)";
    }
}
