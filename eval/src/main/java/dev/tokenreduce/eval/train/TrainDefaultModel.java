package dev.tokenreduce.eval.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;
import dev.tokenreduce.core.GridSize;
import dev.tokenreduce.core.policy.Policy;
import dev.tokenreduce.datasets.synthetic.SceneGenerator;
import dev.tokenreduce.eval.metrics.ConfusionMatrix;
import dev.tokenreduce.vit.config.ModelDirectory;
import dev.tokenreduce.vit.config.VitConfig;
import dev.tokenreduce.vit.encoder.VitForward;
import dev.tokenreduce.vit.head.BilinearUpsample;
import dev.tokenreduce.vit.head.SegmentationModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Trains the embedded default segmentation model of {@code tokenreduce bench}: a small timm-layout ViT
 * ({@code vit_tiny_patch8_<size>} with model_args embed_dim 128, depth 6, 4 heads, MLP 4×, patch 8, [CLS] token,
 * learned positions) with a linear head, from random initialisation, on freshly generated synthetic scenes
 * ({@link SceneGenerator}, 6 classes), then evaluates mIoU on a held-out split generated with another seed by
 * loading the saved directory through {@link SegmentationModel} — i.e. through the runtime that serves it.
 *
 * <p>Usage (from the repository root; the command-line jar bundles every module and DJL):
 * <pre>
 * mvn -B -q -DskipTests -pl cli -am package
 * OPT_OUT_TRACKING=true OMP_NUM_THREADS=1 java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 \
 *     -Dai.djl.pytorch.num_interop_threads=1 -cp cli/target/tokenreduce.jar \
 *     dev.tokenreduce.eval.train.TrainDefaultModel OUTPUT_DIR [STEPS=1800] [SEED=7] [IMAGE_SIZE=128] [BATCH=8]
 * </pre>
 * (one intra-op thread: the committed model was trained that way on a shared 2-core machine; the thread count
 * only changes float rounding).
 * Training: batch {@code BATCH} of new scenes every step (scene indices {@code step·BATCH ..}), pixel-wise
 * cross-entropy on the head's logits bilinearly upsampled to the image size, hand-written AdamW (β = 0.9/0.999,
 * weight decay 0.05 on matrices only), learning rate 1e-3 with linear warm-up over the first 10% of steps (at most
 * 100) and cosine decay to 1e-5. The forward pass is the runtime's own {@link VitForward} and
 * {@link dev.tokenreduce.vit.head.LinearSegmentationHead} on gradient-tracked weights (DJL autograd), so the saved
 * model computes what was trained; the command also prints the largest difference between the training forward's
 * logits and the reloaded model's logits. Progress (step, loss, pixel accuracy, learning rate) goes to stderr.
 *
 * <p>{@code STEPS = 0} only evaluates an existing {@code OUTPUT_DIR} on the held-out split.
 *
 * <p>Output: {@code OUTPUT_DIR/config.json} (timm layout, top-level {@code num_classes}) and
 * {@code OUTPUT_DIR/model.safetensors} (encoder and {@code head.weight}/{@code head.bias}).
 */
public final class TrainDefaultModel {

    /** timm architecture name prefix written to config.json (+ image size; model_args override the defaults). */
    static final String ARCHITECTURE = "vit_tiny_patch8_";
    /** Offset between the training seed and the held-out evaluation seed. */
    static final long HELD_OUT_SEED_OFFSET = 1_000_003L;
    static final int HELD_OUT_SCENES = 96;

    private TrainDefaultModel() {}

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: TrainDefaultModel OUTPUT_DIR [STEPS=1800] [SEED=7] [IMAGE_SIZE=128] [BATCH=8]");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 1800;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 7;
        int size = args.length > 3 ? Integer.parseInt(args[3]) : 128;
        int batch = args.length > 4 ? Integer.parseInt(args[4]) : 8;
        if (steps == 0) {
            evaluateOnly(out, seed, size);
        } else {
            train(out, steps, seed, size, batch);
        }
    }

    /** {@code STEPS = 0}: evaluates an already trained {@code OUTPUT_DIR} on the held-out split only. */
    static double evaluateOnly(Path out, long seed, int size) {
        SceneGenerator heldOut = SceneGenerator.builder().optSeed(seed + HELD_OUT_SEED_OFFSET).optSize(size).build();
        ConfusionMatrix cm = evaluate(out, heldOut, HELD_OUT_SCENES);
        System.err.printf(Locale.ROOT, "held-out (seed %d, %d scenes): mIoU %.4f, pixel acc %.4f, IoU per class %s%n",
                heldOut.seed(), HELD_OUT_SCENES, cm.meanIoU(), cm.pixelAccuracy(),
                java.util.Arrays.toString(cm.iou()));
        System.out.printf(Locale.ROOT, "mIoU %.4f%n", cm.meanIoU());
        return cm.meanIoU();
    }

    /** Trains, saves and evaluates; returns the held-out mIoU. */
    static double train(Path out, int steps, long seed, int size, int batch) {
        long start = System.nanoTime();
        SceneGenerator scenes = SceneGenerator.builder().optSeed(seed).optSize(size).build();
        int classes = scenes.numClasses();
        writeConfig(out, size, classes);
        VitConfig config = ModelDirectory.open(out).config();
        GridSize grid = new GridSize(size / config.patchSize(), size / config.patchSize());
        double lastLoss = Double.NaN;
        try (NDManager root = NDManager.newBaseManager(); NDManager optState = root.newSubManager()) {
            TrainableVit model = new TrainableVit(config, classes, seed, root);
            System.err.printf(Locale.ROOT, "training %s: %d parameters, %d steps x %d scenes of %dx%d, seed %d%n",
                    ARCHITECTURE + size, model.count(), steps, batch, size, size, seed);
            AdamW adamw = new AdamW(1e-3, 1e-5, Math.min(100, Math.max(1, steps / 10)), steps, 0.05);
            double lossSum = 0;
            double accSum = 0;
            int window = 0;
            for (int step = 0; step < steps; step++) {
                try (NDManager scope = root.newSubManager()) {
                    SceneBatch data = SceneBatch.of(scenes, (long) step * batch, batch, scope);
                    float[] lossAcc = trainStep(model, config, grid, data, scope);
                    adamw.update(model.parameters(), optState, scope);
                    lossSum += lossAcc[0];
                    accSum += lossAcc[1];
                    window++;
                    lastLoss = lossAcc[0];
                }
                if ((step + 1) % 10 == 0 || step == steps - 1) {
                    System.err.printf(Locale.ROOT, "step %5d/%d  loss %.4f  pixel-acc %.4f  lr %.2e  %.0f s%n",
                            step + 1, steps, lossSum / window, accSum / window, adamw.learningRate(step),
                            (System.nanoTime() - start) / 1e9);
                    lastLoss = lossSum / window;
                    lossSum = 0;
                    accSum = 0;
                    window = 0;
                }
            }
            Map<String, String> meta = Map.of("format", "pt", "trained_by", TrainDefaultModel.class.getName(),
                    "steps", Integer.toString(steps), "seed", Long.toString(seed), "batch",
                    Integer.toString(batch), "image_size", Integer.toString(size));
            model.save(out.resolve("model.safetensors"), meta);
            double diff = forwardDifference(model, config, grid, scenes, out);
            System.err.printf(Locale.ROOT, "training forward vs reloaded model: max |logit diff| = %.3e%n", diff);
        }
        double trainSeconds = (System.nanoTime() - start) / 1e9;
        SceneGenerator heldOut = SceneGenerator.builder().optSeed(seed + HELD_OUT_SEED_OFFSET).optSize(size).build();
        ConfusionMatrix cm = evaluate(out, heldOut, HELD_OUT_SCENES);
        System.err.printf(Locale.ROOT, "final loss %.4f; held-out (seed %d, %d scenes): mIoU %.4f, pixel acc %.4f;"
                + " wall time %.0f s (training + save)%n", lastLoss, seed + HELD_OUT_SEED_OFFSET, HELD_OUT_SCENES,
                cm.meanIoU(), cm.pixelAccuracy(), trainSeconds);
        System.out.printf(Locale.ROOT, "mIoU %.4f%n", cm.meanIoU());
        return cm.meanIoU();
    }

    /** Forward, pixel cross-entropy, backward; returns {loss, pixel accuracy}. */
    private static float[] trainStep(TrainableVit model, VitConfig config, GridSize grid, SceneBatch data,
            NDManager scope) {
        // results of ops attach to their first operand's manager: keep the parameters in the step's scope meanwhile
        for (NDArray p : model.parameters().values()) {
            p.tempAttach(scope);
        }
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray logits = logits(model, config, grid, data.pixels(), scope);
            NDArray logp = logits.logSoftmax(1);
            NDArray picked = logp.gather(data.labels().expandDims(1), 1);
            NDArray loss = picked.mean().neg();
            gc.backward(loss);
            float acc = logits.argMax(1).eq(data.labels()).toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                    .mean().getFloat();
            return new float[] {loss.getFloat(), acc};
        }
    }

    /** The training forward: (B, classes, S, S) logits. */
    static NDArray logits(TrainableVit model, VitConfig config, GridSize grid, NDArray pixels, NDManager scope) {
        VitForward forward = new VitForward(config, model.weights(), scope);
        NDArray x = forward.embeddings(pixels, grid, scope);
        for (int i = 0; i < config.depth(); i++) {
            x = forward.block(x, i, null, scope);
        }
        x = forward.finalNorm(x, scope);
        NDArray patches = x.get(new NDIndex(":, {}:, :", config.prefixTokens()));
        NDArray map = model.head().logitMap(patches, grid, scope);
        int s = (int) pixels.getShape().get(2);
        return BilinearUpsample.apply(map, s, s, scope);
    }

    private static double forwardDifference(TrainableVit model, VitConfig config, GridSize grid, SceneGenerator scenes,
            Path dir) {
        try (NDManager scope = NDManager.newBaseManager(); SegmentationModel loaded = SegmentationModel.load(dir)) {
            for (NDArray p : model.parameters().values()) {
                p.tempAttach(scope);
            }
            SceneBatch data = SceneBatch.of(scenes, 0, 2, scope);
            NDArray trained = logits(model, config, grid, data.pixels(), scope);
            NDArray served = loaded.predict(data.pixels(), Policy.none(), scope).logits();
            return trained.sub(served).abs().max().getFloat();
        }
    }

    /** mIoU of the model in {@code dir} on scenes 0 .. count−1 of {@code generator}, baseline (no reduction). */
    static ConfusionMatrix evaluate(Path dir, SceneGenerator generator, int count) {
        ConfusionMatrix cm = ConfusionMatrix.of(generator.numClasses());
        try (SegmentationModel model = SegmentationModel.load(dir)) {
            for (int first = 0; first < count; first += 8) {
                try (NDManager scope = NDManager.newBaseManager()) {
                    SceneBatch data = SceneBatch.of(generator, first, Math.min(8, count - first), scope);
                    NDArray pred = model.predict(data.pixels(), Policy.none(), scope).predictions();
                    cm.add(pred, data.labels());
                }
            }
        }
        return cm;
    }

    private static void writeConfig(Path out, int size, int classes) {
        String json = "{\n"
                + "  \"architecture\": \"" + ARCHITECTURE + size + "\",\n"
                + "  \"num_classes\": " + classes + ",\n"
                + "  \"num_features\": 128,\n"
                + "  \"model_args\": {\n"
                + "    \"img_size\": " + size + ",\n"
                + "    \"patch_size\": 8,\n"
                + "    \"embed_dim\": 128,\n"
                + "    \"depth\": 6,\n"
                + "    \"num_heads\": 4,\n"
                + "    \"mlp_ratio\": 4.0,\n"
                + "    \"dynamic_img_size\": true\n"
                + "  },\n"
                + "  \"pretrained_cfg\": {\n"
                + "    \"input_size\": [3, " + size + ", " + size + "],\n"
                + "    \"mean\": [0.5, 0.5, 0.5],\n"
                + "    \"std\": [0.5, 0.5, 0.5],\n"
                + "    \"num_classes\": " + classes + "\n"
                + "  }\n"
                + "}\n";
        try {
            Files.createDirectories(out);
            Files.writeString(out.resolve("config.json"), json, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out.resolve("config.json"), e);
        }
    }
}
