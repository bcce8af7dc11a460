package dev.tokenreduce.eval.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tokenreduce.core.GridSize;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.policy.Policy;
import dev.tokenreduce.core.token.TokenState;
import dev.tokenreduce.datasets.image.Normalization;
import dev.tokenreduce.datasets.readers.Task;
import dev.tokenreduce.eval.flops.FlopCount;
import dev.tokenreduce.eval.flops.Flops;
import dev.tokenreduce.eval.flops.VitShape;
import dev.tokenreduce.vit.EncodeOptions;
import dev.tokenreduce.vit.EncoderOutput;
import dev.tokenreduce.vit.VisionEncoder;
import dev.tokenreduce.vit.config.VitConfig;
import dev.tokenreduce.vit.head.LinearDepthHead;
import dev.tokenreduce.vit.head.LinearSegmentationHead;
import dev.tokenreduce.vit.head.MaskTransformerHead;
import dev.tokenreduce.vit.head.SegmentationHead;
import dev.tokenreduce.vit.head.SegmentationHeads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link DensePredictor} made of a {@link VisionEncoder} and a dense {@link SegmentationHead} (a
 * {@link LinearSegmentationHead}, or a Segmenter {@link MaskTransformerHead}; or a {@link LinearDepthHead}, whose
 * one-channel "logits" are depth in metres and whose {@link #task()} is depth). The head runs on the final patch
 * tokens restored to the full grid through the token state's restoration (Expedit's reconstruction, ToMe's unmerge,
 * nearest kept token); for the linear head that equals restoring its logits, and the non-linear mask transformer
 * needs the restored tokens anyway.
 *
 * <p>A model folder holds the encoder ({@code config.json} + weights, as {@link VisionEncoder#load} reads it) and the
 * head's tensors either in the same checkpoint or in {@code head.safetensors}; {@link SegmentationHeads#load} picks
 * the head kind (see there for the mask transformer's {@code decode_head.num_heads} config entry).
 */
public final class EncoderHeadPredictor implements DensePredictor {

    /** Optional separate head checkpoint in a model folder. */
    public static final String HEAD_FILE = SegmentationHeads.HEAD_FILE;

    private final VisionEncoder encoder;
    private final NDManager manager;
    private final SegmentationHead head;
    private final Path source;

    private EncoderHeadPredictor(VisionEncoder encoder, NDManager manager, SegmentationHead head, Path source) {
        this.encoder = encoder;
        this.manager = manager;
        this.head = head;
        this.source = source;
        if (head.channels() != encoder.config().embedDim()) {
            throw new InvalidInputException(source + ": head width " + head.channels() + " differs from the encoder's "
                    + encoder.config().embedDim());
        }
    }

    /**
     * Loads a model folder on {@code device}.
     *
     * @throws InvalidInputException when the folder does not exist
     * @throws dev.tokenreduce.vit.ModelFormatException when the encoder or the head cannot be read
     */
    public static EncoderHeadPredictor load(Path directory, Device device) {
        if (!Files.isDirectory(directory)) {
            throw new InvalidInputException("model folder " + directory + " does not exist or is not a folder");
        }
        VisionEncoder encoder = VisionEncoder.load(directory, device);
        NDManager manager = NDManager.newBaseManager(device);
        try {
            SegmentationHead head = SegmentationHeads.load(directory, manager);
            return new EncoderHeadPredictor(encoder, manager, head, directory);
        } catch (RuntimeException e) {
            manager.close();
            encoder.close();
            throw e;
        }
    }

    @Override
    public DensePrediction predict(NDArray pixels, Policy policy, NDManager scope, long seed) {
        EncoderOutput out = encoder.encode(pixels, policy, scope,
                EncodeOptions.builder().optSeed(seed).optCheckInputs(false).build());
        TokenState state = out.state();
        GridSize grid = out.inputGrid();
        NDArray tokens = out.reconstructed() != null ? out.reconstructed() : state.visualTokens();
        if (tokens.getShape().get(1) != grid.cells()) {
            throw new InvalidInputException("policy '" + policy.name() + "' left " + tokens.getShape().get(1)
                    + " visual tokens without a way to restore the " + grid + " grid; a dense head needs a"
                    + " restoration (e.g. expedit-reconstruct at output)");
        }
        NDArray logits = head.logitMap(tokens, grid, scope);
        return new DensePrediction(logits, tokens, state, out.records(), grid);
    }

    @Override
    public int numClasses() {
        return head.numClasses();
    }

    @Override
    public Task task() {
        return head.kind().depth() ? Task.DEPTH : Task.SEGMENTATION;
    }

    @Override
    public Normalization normalization() {
        VitConfig c = encoder.config();
        return Normalization.of(c.imageMean(), c.imageStd());
    }


    @Override
    public int imageSize() {
        return encoder.config().imageHeight();
    }

    @Override
    public int patchSize() {
        return encoder.config().patchSize();
    }

    @Override
    public VitShape shape(GridSize grid) {
        VitConfig c = encoder.config();
        return VitShape.builder().setEmbedDim(c.embedDim()).setDepth(c.depth()).setHeads(c.numHeads())
                .setMlpHidden(c.mlpHidden()).setPatchSize(c.patchSize()).optInChannels(c.channels())
                .optPrefixTokens(c.prefixTokens()).setGrid(grid).optQkvBias(c.qkvBias()).optPreNorm(c.preNorm())
                .build();
    }

    @Override
    public FlopCount headFlops(GridSize grid) {
        if (head instanceof MaskTransformerHead mask) {
            return maskTransformerFlops(mask, grid.cells());
        }
        FlopCount linear = Flops.linear(grid.cells(), head.channels(), head.numClasses(), true);
        // a depth head also activates its one output per token
        return head instanceof LinearDepthHead ? linear.plus(Flops.activation(grid.cells())) : linear;
    }

    /** The Segmenter decoder on {@code n} patch tokens plus K class tokens, with the {@link Flops} conventions. */
    static FlopCount maskTransformerFlops(MaskTransformerHead h, long n) {
        long k = h.numClasses();
        long d = h.embedDim();
        long f = h.mlpHidden();
        long l = n + k;
        FlopCount layer = Flops.norm(l, d).plus(Flops.linear(l, d, 3 * d, true))
                .plus(Flops.attention(l, l, d, h.numHeads())).plus(Flops.linear(l, d, d, true)).plus(Flops.adds(l * d))
                .plus(Flops.norm(l, d)).plus(Flops.linear(l, d, f, true)).plus(Flops.activation(l * f))
                .plus(Flops.linear(l, f, d, true)).plus(Flops.adds(l * d));
        FlopCount total = Flops.linear(n, h.channels(), d, true).plus(layer.times(h.numLayers()));
        // decoder norm, the two projections, L2 normalisation (square, sum, divide), masks, mask norm
        return total.plus(Flops.norm(l, d)).plus(Flops.linear(n, d, d, false)).plus(Flops.linear(k, d, d, false))
                .plus(FlopCount.other(3 * l * d)).plus(Flops.linear(n, d, k, false)).plus(Flops.norm(n, k));
    }

    @Override
    public Map<String, Object> describe() {
        VitConfig c = encoder.config();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", source.toString());
        m.put("family", c.family());
        m.put("embedDim", c.embedDim());
        m.put("depth", c.depth());
        m.put("heads", c.numHeads());
        m.put("patchSize", c.patchSize());
        m.put("trainingSize", c.imageHeight() + "x" + c.imageWidth());
        m.put("prefixTokens", c.prefixTokens());
        m.put("head", head.kind().label());
        if (head instanceof LinearDepthHead depth) {
            m.put("task", "depth");
            m.put("activation", depth.activation().label());
            if (!Float.isNaN(depth.maxDepth())) {
                m.put("maxDepth", depth.maxDepth());
            }
        } else {
            m.put("classes", head.numClasses());
        }
        m.put("device", encoder.device().toString());
        return m;
    }

    @Override
    public void close() {
        manager.close();
        encoder.close();
    }
}
