package dev.tokenreduce.vit.lvlm;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.policy.Policy;
import dev.tokenreduce.core.safetensors.SafetensorsCheckpoint;
import dev.tokenreduce.core.token.TokenState;
import dev.tokenreduce.vit.encoder.VitForward;
import dev.tokenreduce.vit.weights.VitWeightLoader;
import dev.tokenreduce.vit.weights.VitWeights;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * A LLaVA-1.5-shaped vision-language model (HuggingFace {@code LlavaForConditionalGeneration} checkpoints, llava-hf
 * and transformers ≥ 4.52 key layouts) that runs a token-reduction {@link Policy} at its hook points:
 * <ul>
 *   <li>{@code vision-output}: the image features after the projector, merged into the prompt (layout [prompt
 *       before the image, image tokens, prompt after]; signal {@link dev.tokenreduce.core.op.StepContext#CLS_ATTENTION}
 *       = the feature block's [CLS] attention over the image tokens);</li>
 *   <li>{@code {decoder-layer: N}}: after N decoder layers of the prefill (signals
 *       {@link dev.tokenreduce.pruning.DecoderSignals#QUERIES} and {@code KEYS} of layer N, after RoPE);</li>
 *   <li>{@code decoder}: after every layer ({@code layerIndex} set); a {@code transprune} step there is driven as a
 *       session (TTV from the accumulate layers' sub-modules, IGA from the next layer).</li>
 * </ul>
 * Pipeline: CLIP tower up to {@code vision_feature_layer} ({@link VisionTower}), projector linear-act-linear, the
 * features replace the image placeholder, LLaMA decoder (RMSNorm, rotate-half RoPE on explicit position ids,
 * grouped-query attention, SwiGLU) with a KV cache, greedy or sampled decoding. When a step removes tokens, the
 * following layers (and their caches) see the shorter sequence with the position ids the step chose; the decoded
 * tokens continue after the last prompt position id.
 *
 * <p>One image per prompt (pixels (1, 3, H, W)); token ids in, token ids out (no tokenizer). Weights are F32 in a
 * manager the model owns; {@link #close()} frees them. Each call's arrays live in the scope it is given.
 *
 * <pre>{@code
 * try (VisionLanguageModel llava = VisionLanguageModel.load(Path.of("models/llava-1.5-7b-hf"));
 *      NDManager scope = NDManager.newBaseManager()) {
 *     Generation g = llava.generate(pixels, ids, Policy.load(Path.of("todre.yaml")), scope,
 *             GenerateOptions.builder().optMaxNewTokens(32).optStopTokens(2).build());
 *     long[] answer = g.tokens();
 * }
 * }</pre>
 */
public final class VisionLanguageModel implements AutoCloseable {

    private final LlavaConfig config;
    private final NDManager manager;
    private final VisionTower tower;
    private final LlavaWeights weights;
    private final LanguageModel lm;
    private final Path source;
    private volatile boolean closed;

    private VisionLanguageModel(LlavaConfig config, NDManager manager, VitWeights vision, LlavaWeights weights,
            Path source) {
        this.config = config;
        this.manager = manager;
        this.tower = new VisionTower(config, new VitForward(config.vision(), vision, manager));
        this.weights = weights;
        this.lm = new LanguageModel(config.text(), weights);
        this.source = source;
    }

    /** Loads a model directory on the default device. */
    public static VisionLanguageModel load(Path directory) {
        return builder().setModelPath(directory).build();
    }

    /** Loads a model directory on {@code device}. */
    public static VisionLanguageModel load(Path directory, Device device) {
        return builder().setModelPath(directory).optDevice(device).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public LlavaConfig config() {
        return config;
    }

    /**
     * The image in the language model's embedding space: feature-layer tokens through the projector, and the
     * [CLS] attention the pruners use.
     *
     * @param pixels (1, channels, H, W) normalised
     * @param scope receives the arrays
     */
    public ImageFeatures encodeImage(NDArray pixels, NDManager scope) {
        return encodeImage(pixels, scope, true);
    }

    private ImageFeatures encodeImage(NDArray pixels, NDManager scope, boolean checkFinite) {
        checkOpen();
        NDArray input = pixels;
        if (!input.getDevice().equals(manager.getDevice())) {
            input = input.toDevice(manager.getDevice(), true);
            input.attach(scope);
        }
        VisionTower.Output v = tower.run(input, scope, checkFinite);
        try (NDManager sub = scope.newSubManager()) {
            NDArray f = v.features();
            f.tempAttach(sub);
            NDArray h = Linear.linear(f, weights.projector1(), weights.projector1Bias()).singletonOrThrow();
            h = activation(h);
            h = Linear.linear(h, weights.projector2(), weights.projector2Bias()).singletonOrThrow();
            h.attach(scope);
            return new ImageFeatures(h, v.clsAttention());
        }
    }

    private NDArray activation(NDArray x) {
        switch (config.projectorActivation()) {
            case GELU:
                return Activation.gelu(x);
            case QUICK_GELU:
                return x.mul(Activation.sigmoid(x.mul(1.702f)));
            case GELU_TANH:
            default:
                // 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))
                NDArray inner = x.add(x.pow(3).mul(0.044715f)).mul((float) Math.sqrt(2.0 / Math.PI));
                return x.mul(inner.tanh().add(1f)).mul(0.5f);
        }
    }

    /** Prefill only (no decoding), with the default options otherwise. */
    public Generation prefill(NDArray pixels, long[] inputIds, Policy policy, NDManager scope) {
        return generate(pixels, inputIds, policy, scope, GenerateOptions.builder().optMaxNewTokens(0).build());
    }

    /**
     * Prefill under {@code policy}, then decoding.
     *
     * @param pixels (1, channels, H, W) normalised image
     * @param inputIds prompt token ids with one image placeholder ({@link LlavaConfig#imageTokenIndex()}), or the
     *     placeholder repeated once per image feature
     * @param policy steps at vision-output / decoder-layer / decoder ({@link Policy#none()} for the baseline)
     * @param scope receives every array of the result
     * @param options decoding length, stop tokens, sampling, what to record
     * @throws InvalidInputException for bad pixels, ids or placeholders
     * @throws dev.tokenreduce.core.policy.PolicyException for hook points the model does not have or steps that
     *     cannot combine
     */
    public Generation generate(NDArray pixels, long[] inputIds, Policy policy, NDManager scope,
            GenerateOptions options) {
        checkOpen();
        Objects.requireNonNull(scope, "scope");
        GenerateOptions opts = options == null ? GenerateOptions.defaults() : options;
        LvlmPolicy plan = LvlmPolicy.of(policy, config.text().numLayers());
        if (pixels.getShape().dimension() == 4 && pixels.getShape().get(0) != 1) {
            throw new InvalidInputException("llava: one image per prompt: pixel_values must be (1, "
                    + config.vision().channels() + ", H, W), got " + pixels.getShape());
        }
        ImageFeatures image = encodeImage(pixels, scope, opts.checkInputs());
        int n = (int) image.features().getShape().get(1);
        ImagePrompt prompt = ImagePrompt.split(inputIds, config.imageTokenIndex(), n, config.text().vocabSize());
        KvCache cache = new KvCache(config.text().numLayers(), scope);
        NDArray lastLogits;
        NDArray allLogits = null;
        TokenState state;
        Map<String, NDArray> hidden;
        long position;
        try (NDManager pass = scope.newSubManager()) {
            PrefillRun run = new PrefillRun(lm, plan, opts, pass, cache, image.clsAttention());
            run.start(prompt, image.features());
            NDArray h = run.run();
            if (opts.allLogits()) {
                allLogits = lm.logits(h, pass);
                lastLogits = allLogits.get(":, -1, :");
                keep(allLogits, scope);
            } else {
                lastLogits = lm.logits(h.get(":, -1:, :"), pass).get(":, -1, :");
            }
            keep(lastLogits, scope);
            state = run.state();
            keep(state.tokens(), scope);
            keep(state.positionIds(), scope);
            keep(state.visualIndex(), scope);
            hidden = run.hidden();
            hidden.values().forEach(a -> keep(a, scope));
            position = run.nextPosition();
        }
        List<Long> tokens = new ArrayList<>();
        String reason = opts.maxNewTokens() == 0 ? "prefill-only" : "max-new-tokens";
        Random random = new Random(opts.seed());
        NDArray logits = lastLogits;
        for (int step = 0; step < opts.maxNewTokens(); step++) {
            long token = pick(logits, opts, random);
            tokens.add(token);
            if (opts.isStop(token)) {
                reason = "stop-token";
                break;
            }
            if (step + 1 == opts.maxNewTokens()) {
                break;
            }
            NDArray next = decode(token, position++, cache, scope);
            if (logits != lastLogits) {
                logits.close();
            }
            logits = next;
        }
        if (logits != lastLogits) {
            logits.close();
        }
        long[] out = tokens.stream().mapToLong(Long::longValue).toArray();
        return new Generation(out, reason, lastLogits, allLogits, image, hidden, state, cache);
    }

    /** One decoding step: the token at {@code position} through every layer; (1, vocab) logits in {@code scope}. */
    private NDArray decode(long token, long position, KvCache cache, NDManager scope) {
        try (NDManager step = scope.newSubManager()) {
            NDArray h = lm.embed(new long[] {token}, step);
            NDArray positions = step.create(new long[] {position}).reshape(1, 1);
            Rope rope = Rope.of(positions, config.text().headDim(), config.text().ropeTheta(), step);
            for (int i = 0; i < config.text().numLayers(); i++) {
                h = lm.layer(i).forward(h, rope, cache, false, false, step).hidden();
            }
            NDArray logits = lm.logits(h, step).get(":, -1, :");
            logits.attach(scope);
            return logits;
        }
    }

    /** Greedy argmax, or a sample at the options' temperature among the top-k (one vocabulary row to the host). */
    private static long pick(NDArray logits, GenerateOptions opts, Random random) {
        if (opts.temperature() == 0) {
            try (NDArray arg = logits.argMax(-1)) {
                return arg.getLong();
            }
        }
        float[] row;
        try (NDManager tmp = logits.getManager().newSubManager()) {
            NDArray scaled = logits.toType(DataType.FLOAT32, true);
            scaled.attach(tmp);
            scaled = scaled.div((float) opts.temperature());
            if (opts.topK() > 0 && opts.topK() < scaled.getShape().get(1)) {
                NDArray sorted = scaled.sort(-1);
                NDArray kth = sorted.get(":, {}:{}", scaled.getShape().get(1) - opts.topK(),
                        scaled.getShape().get(1) - opts.topK() + 1);
                scaled = ai.djl.ndarray.NDArrays.where(scaled.lt(kth),
                        tmp.full(scaled.getShape(), Float.NEGATIVE_INFINITY), scaled);
            }
            row = scaled.softmax(-1).toFloatArray();
        }
        double u = random.nextDouble();
        double acc = 0;
        for (int i = 0; i < row.length; i++) {
            acc += row[i];
            if (u < acc) {
                return i;
            }
        }
        return row.length - 1;
    }

    private static void keep(NDArray array, NDManager scope) {
        if (array != null && array.getManager() != scope) {
            array.attach(scope);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the model " + source + " is closed");
        }
    }

    /** The device the weights live on. */
    public Device device() {
        return manager.getDevice();
    }

    /** Arrays held by the model's own manager; constant across calls (tests use it to prove nothing leaks in). */
    int retainedArrays() {
        return manager.getManagedArrays().size();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            manager.close();
        }
    }

    @Override
    public String toString() {
        return "VisionLanguageModel(" + source + ", " + config.text().numLayers() + " decoder layers, "
                + config.vision().depth() + "-block tower)";
    }

    /** Builder in DJL style: {@code setModelPath} required, {@code optDevice} optional. */
    public static final class Builder {
        private Path modelPath;
        private Device device;

        private Builder() {}

        /** A model directory: config.json ({@code model_type: llava}) + safetensors weights. */
        public Builder setModelPath(Path directory) {
            this.modelPath = directory;
            return this;
        }

        public Builder optDevice(Device device) {
            this.device = device;
            return this;
        }

        /**
         * Reads the config, checks every tensor's name and shape, loads the weights.
         *
         * @throws dev.tokenreduce.vit.ModelFormatException for configs that are not LLaVA-shaped, missing or
         *     mis-shaped tensors
         */
        public VisionLanguageModel build() {
            Objects.requireNonNull(modelPath, "setModelPath is required");
            LlavaConfig config = LlavaConfig.read(modelPath);
            NDManager manager = device == null ? NDManager.newBaseManager() : NDManager.newBaseManager(device);
            try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(modelPath)) {
                VitWeights vision = VitWeightLoader.load(checkpoint, config.vision(), manager);
                LlavaWeights weights = LlavaWeightLoader.load(checkpoint, config, manager);
                return new VisionLanguageModel(config, manager, vision, weights, modelPath);
            } catch (RuntimeException e) {
                manager.close();
                throw e;
            }
        }
    }
}
