package dev.tokenreduce.vit;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.GridSize;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.op.AbstractTokenReducer;
import dev.tokenreduce.core.op.Inputs;
import dev.tokenreduce.core.op.Reduction;
import dev.tokenreduce.core.op.StepContext;
import dev.tokenreduce.core.policy.HookPoint;
import dev.tokenreduce.core.policy.Policy;
import dev.tokenreduce.core.policy.PolicyStep;
import dev.tokenreduce.core.safetensors.SafetensorsCheckpoint;
import dev.tokenreduce.core.token.TokenLayout;
import dev.tokenreduce.core.token.TokenState;
import dev.tokenreduce.vit.config.ModelDirectory;
import dev.tokenreduce.vit.config.PositionResampling;
import dev.tokenreduce.vit.config.VitConfig;
import dev.tokenreduce.vit.encoder.VitForward;
import dev.tokenreduce.vit.weights.VitWeightLoader;
import dev.tokenreduce.vit.weights.VitWeights;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A ViT-family encoder (ViT, DeiT, DINOv2, CLIP and SigLIP vision towers; timm and HuggingFace checkpoints) that
 * runs a token-reduction {@link Policy} at its hook points:
 * <ul>
 *   <li>{@code {block: n}} ({@link HookPoint.AfterBlock}): after {@code n} blocks; 0 = right after the
 *       embeddings;</li>
 *   <li>{@code blocks} ({@link HookPoint.EveryBlock}): inside every block, between the attention residual and the
 *       MLP, with {@link StepContext#layerIndex()} = the block index and {@link StepContext#KEY_METRIC} = that
 *       block's keys averaged over heads (computed only when such a step exists);</li>
 *   <li>{@code output} ({@link HookPoint.Output}): after the final norm.</li>
 * </ul>
 * When the token state carries sizes (ToMe), every following attention adds log(size) of each key to its logits
 * (unless every in-block step is a {@link dev.tokenreduce.core.op.InBlockOperator} that declines proportional
 * attention). A reducer step that kept every visual token is recorded as usual and logged once as a warning, so a
 * policy that silently does nothing is visible; steps that are not reducers (e.g. {@code expedit-reconstruct},
 * which only sets how to restore) are not warned about.
 *
 * <p>Weights are loaded once, as F32, into a manager the encoder owns; {@link #close()} frees them. A forward pass
 * puts its results into the caller's scope and frees its temporaries as it goes. {@code encode} is thread-safe.
 * On a GPU, pass {@code Device.gpu()} to {@link #load(Path, Device)} with a CUDA build of libtorch supplied to DJL
 * (e.g. through {@code PYTORCH_LIBRARY_PATH}); pixels on another device are copied to the model's device.
 *
 * <pre>{@code
 * try (VisionEncoder vit = VisionEncoder.load(Path.of("models/vit-base"));
 *      NDManager scope = NDManager.newBaseManager()) {
 *     EncoderOutput out = vit.encode(pixels, Policy.load(Path.of("expedit.yaml")), scope);
 *     NDArray grid = out.reconstructed();
 * }
 * }</pre>
 */
public final class VisionEncoder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(VisionEncoder.class);

    private final VitConfig config;
    private final NDManager manager;
    private final VitForward forward;
    private final Path source;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private VisionEncoder(VitConfig config, NDManager manager, VitWeights weights, Path source) {
        this.config = config;
        this.manager = manager;
        this.forward = new VitForward(config, weights, manager);
        this.source = source;
    }

    /** Loads a model directory on the default device. */
    public static VisionEncoder load(Path directory) {
        return builder().setModelPath(directory).build();
    }

    /** Loads a model directory on {@code device}. */
    public static VisionEncoder load(Path directory, Device device) {
        return builder().setModelPath(directory).optDevice(device).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The resolved configuration. */
    public VitConfig config() {
        return config;
    }

    /** The device the weights live on. */
    public Device device() {
        return manager.getDevice();
    }

    /** Runs the encoder with no reduction; the results live in the pixels' manager. */
    public EncoderOutput encode(NDArray pixels) {
        return encode(pixels, Policy.none(), pixels.getManager(), EncodeOptions.defaults());
    }

    /** Runs the encoder under {@code policy}; the results live in the pixels' manager. */
    public EncoderOutput encode(NDArray pixels, Policy policy) {
        return encode(pixels, policy, pixels.getManager(), EncodeOptions.defaults());
    }

    /** Runs the encoder under {@code policy} with default options. */
    public EncoderOutput encode(NDArray pixels, Policy policy, NDManager scope) {
        return encode(pixels, policy, scope, EncodeOptions.defaults());
    }

    /**
     * Runs the encoder.
     *
     * @param pixels (B, channels, H, W) normalised images; H and W multiples of the patch size
     * @param policy the steps to run at the hook points ({@link Policy#none()} for the baseline)
     * @param scope receives every array of the result; close it to free them
     * @param options intermediates to keep, seed, input checks
     * @throws InvalidInputException for pixels of the wrong rank, channels or size, or with NaN/Inf
     * @throws dev.tokenreduce.core.policy.PolicyException for hook points this model does not have
     */
    public EncoderOutput encode(NDArray pixels, Policy policy, NDManager scope, EncodeOptions options) {
        if (closed) {
            throw new IllegalStateException("the encoder " + source + " is closed");
        }
        Objects.requireNonNull(scope, "scope");
        Policy p = policy == null ? Policy.none() : policy;
        EncodeOptions opts = options == null ? EncodeOptions.defaults() : options;
        HookSchedule schedule = HookSchedule.of(p, config.depth());
        opts.validate(config.depth());
        GridSize grid = checkPixels(pixels, opts.checkInputs());
        NDArray input = pixels;
        if (input.getDataType() != DataType.FLOAT32 || !input.getDevice().equals(manager.getDevice())) {
            input = input.toDevice(manager.getDevice(), false).toType(DataType.FLOAT32, false);
            input.attach(scope);
        }
        Map<String, NDArray> kept = new LinkedHashMap<>();
        Run run = new Run(p, scope, opts);

        NDArray x = forward.embeddings(input, grid, scope);
        keep(kept, opts, EncodeOptions.EMBEDDINGS, x);
        TokenState state = TokenState.of(x, TokenLayout.grid(config.prefixTokens(), grid));
        state = run.steps(schedule.afterBlock(0), state, -1, null);
        List<PolicyStep> inBlock = schedule.everyBlock();
        for (int i = 0; i < config.depth(); i++) {
            NDArray sizes = schedule.proportionalAttention() ? state.sizes() : null;
            VitForward.AttentionResult attn = forward.attention(state.tokens(), i, sizes, !inBlock.isEmpty(), scope);
            state = state.toBuilder().setTokens(attn.tokens()).build();
            if (!inBlock.isEmpty()) {
                state = run.steps(inBlock, state, i, attn.keys());
            }
            x = forward.mlp(state.tokens(), i, scope);
            state = state.toBuilder().setTokens(x).build();
            keep(kept, opts, EncodeOptions.block(i), x);
            state = run.steps(schedule.afterBlock(i + 1), state, -1, null);
        }
        x = forward.finalNorm(state.tokens(), scope);
        state = state.toBuilder().setTokens(x).build();
        keep(kept, opts, EncodeOptions.FINAL, x);
        state = run.steps(schedule.output(), state, -1, null);
        NDArray reconstructed = null;
        if (opts.reconstruct() && state.restoration() != null) {
            reconstructed = state.restoration().restore(state.visualTokens());
        }
        return new EncoderOutput(state, reconstructed, kept, grid);
    }

    private static void keep(Map<String, NDArray> kept, EncodeOptions opts, String name, NDArray x) {
        if (opts.records(name)) {
            kept.put(name, x);
        }
    }

    private GridSize checkPixels(NDArray pixels, boolean checkFinite) {
        Shape s = pixels.getShape();
        String who = "vision encoder (" + config.source() + ")";
        if (s.dimension() != 4) {
            throw new InvalidInputException(who + ": pixels must be (B, " + config.channels() + ", H, W), got " + s);
        }
        if (s.get(1) != config.channels()) {
            throw new InvalidInputException(who + ": pixels must have " + config.channels() + " channels on axis 1,"
                    + " got " + s + " (channels-last input needs transpose(0, 3, 1, 2))");
        }
        long h = s.get(2);
        long w = s.get(3);
        int patch = config.patchSize();
        if (s.get(0) < 1 || h < patch || w < patch || h % patch != 0 || w % patch != 0) {
            throw new InvalidInputException(who + ": image size " + h + "x" + w + " must be a positive multiple of the"
                    + " patch size " + patch + " (resize or pad to e.g. " + Math.max(patch, h / patch * patch) + "x"
                    + Math.max(patch, w / patch * patch) + ")");
        }
        if (!pixels.getDataType().isFloating()) {
            throw new InvalidInputException(who + ": pixels must be floating point, got " + pixels.getDataType());
        }
        if (checkFinite) {
            // the check's temporaries would otherwise land in the caller's manager and live as long as it does
            try (NDManager tmp = pixels.getManager().newSubManager()) {
                pixels.tempAttach(tmp);
                Inputs.requireFinite(pixels, who, "pixels");
            }
        }
        return new GridSize((int) (h / patch), (int) (w / patch));
    }

    /** One forward pass's step runner: contexts, records, the do-nothing warning. */
    private final class Run {
        private final Policy policy;
        private final NDManager scope;
        private final EncodeOptions options;

        Run(Policy policy, NDManager scope, EncodeOptions options) {
            this.policy = policy;
            this.scope = scope;
            this.options = options;
        }

        TokenState steps(List<PolicyStep> steps, TokenState state, int layerIndex, NDArray keyMetric) {
            NDArray metric = keyMetric;
            for (PolicyStep step : steps) {
                StepContext context = StepContext.builder(step.at(), scope)
                        .optSeed(options.seed())
                        .optCheckFinite(options.checkInputs())
                        .optLayerIndex(layerIndex)
                        .optSignal(StepContext.KEY_METRIC, metric)
                        .build();
                int before = state.layout().visual();
                Reduction reduction = step.operator().apply(state, context);
                state = reduction.state();
                if (!reduction.record().changedCount() && step.operator() instanceof AbstractTokenReducer) {
                    warnOnce(step, reduction.record().tokensIn());
                }
                if (state.layout().visual() != before) {
                    metric = null; // the keys no longer line up with the tokens
                }
            }
            return state;
        }

        private void warnOnce(PolicyStep step, int tokens) {
            String where = policy.where(step) + " at " + step.at();
            if (warned.add(policy.name() + "|" + where)) {
                LOG.warn("{}: policy '{}', {} kept all {} visual tokens (recorded; reported once)", source,
                        policy.name(), where, tokens);
            }
        }
    }

    /**
     * Arrays held by the encoder's own manager (weights and cached position tables). Constant across forward
     * passes once every grid size in use is cached; tests use it to prove no forward leaks into the model.
     */
    int retainedArrays() {
        return manager.getManagedArrays().size();
    }

    /** Frees the weights. Outputs of earlier forward passes stay valid (they belong to their scopes). */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            manager.close();
        }
    }

    @Override
    public String toString() {
        return "VisionEncoder(" + source + ", " + config + ")";
    }

    /** Builder in DJL style: {@code setModelPath} required, {@code optX} optional. */
    public static final class Builder {
        private Path modelPath;
        private Device device;
        private PositionResampling resampling;

        /** A model directory: config.json + safetensors weights (+ preprocessor_config.json). */
        public Builder setModelPath(Path directory) {
            this.modelPath = directory;
            return this;
        }

        /** Where the weights live and the forward runs (default: the engine's default device). */
        public Builder optDevice(Device device) {
            this.device = device;
            return this;
        }

        /** How position tables are resampled for other image sizes (default: timm's antialiased bicubic). */
        public Builder optPositionResampling(PositionResampling mode) {
            this.resampling = mode;
            return this;
        }

        /**
         * Reads the config, checks every weight's name and shape, and loads the weights.
         *
         * @throws ModelFormatException for unknown model types, missing or mis-shaped tensors
         */
        public VisionEncoder build() {
            Objects.requireNonNull(modelPath, "setModelPath is required");
            ModelDirectory dir = ModelDirectory.open(modelPath);
            VitConfig config = resampling == null ? dir.config() : dir.config().withPositionResampling(resampling);
            NDManager manager = device == null ? NDManager.newBaseManager() : NDManager.newBaseManager(device);
            try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(modelPath)) {
                VitWeights weights = VitWeightLoader.load(checkpoint, config, manager);
                return new VisionEncoder(config, manager, weights, modelPath);
            } catch (RuntimeException e) {
                manager.close();
                throw e;
            }
        }
    }
}
