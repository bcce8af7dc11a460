package dev.tokenreduce.vit.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenreduce.core.GridSize;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.policy.Policy;
import dev.tokenreduce.core.policy.PolicyLoader;
import dev.tokenreduce.core.safetensors.SafetensorsWriter;
import dev.tokenreduce.core.testing.SharedFixtures;
import dev.tokenreduce.vit.EncodeOptions;
import dev.tokenreduce.vit.EncoderOutput;
import dev.tokenreduce.vit.ModelFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixture ViT (64×64 input, patch 8, C = 64) with a random Segmenter decoder (D 16, 1 layer, 2 heads, K 4) in
 * {@code head.safetensors} and {@code "decode_head": {"num_heads": 2}} in config.json: the model picks the mask
 * transformer, and under Expedit or ToMe the decoder runs on the restored full-grid tokens (restore tokens, then
 * decode — the decoder is non-linear).
 */
class MaskTransformerSegmentationModelTest {

    static final int CLASSES = 4;
    static final int DIM = 16;
    static final double TOL = 1e-4;
    static final GridSize GRID = new GridSize(8, 8);

    @TempDir
    static Path dir;
    static SegmentationModel model;

    @BeforeAll
    static void load() throws IOException {
        writeModel(dir, 2, 64);
        model = SegmentationModel.load(dir);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** A fixture encoder directory with a random decoder of input width {@code channels}. */
    static void writeModel(Path target, Integer numHeads, int channels) throws IOException {
        Path fixture = SharedFixtures.fixture("vit/vit_plain/timm");
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = (ObjectNode) json.readTree(fixture.resolve("config.json").toFile());
        if (numHeads != null) {
            config.putObject(SegmentationHeads.DECODE_HEAD_FIELD).put(SegmentationHeads.NUM_HEADS_FIELD, numHeads);
        }
        Files.writeString(target.resolve("config.json"), json.writeValueAsString(config));
        Files.copy(fixture.resolve("model.safetensors"), target.resolve("model.safetensors"));
        try (NDManager m = NDManager.newBaseManager()) {
            m.getEngine().setRandomSeed(5);
            Map<String, NDArray> t = new LinkedHashMap<>();
            t.put(MaskTransformerNames.CLS_EMB, rand(m, 1, CLASSES, DIM));
            t.put(MaskTransformerNames.DEC_PROJ_WEIGHT, rand(m, DIM, channels));
            t.put(MaskTransformerNames.DEC_PROJ_BIAS, rand(m, DIM));
            String[][] layer = {
                {"ln1.weight", "d"}, {"ln1.bias", "d"}, {"attn.attn.in_proj_weight", "3d,d"},
                {"attn.attn.in_proj_bias", "3d"}, {"attn.attn.out_proj.weight", "d,d"}, {"attn.attn.out_proj.bias", "d"},
                {"ln2.weight", "d"}, {"ln2.bias", "d"}, {"ffn.layers.0.0.weight", "4d,d"}, {"ffn.layers.0.0.bias", "4d"},
                {"ffn.layers.1.weight", "d,4d"}, {"ffn.layers.1.bias", "d"}};
            for (String[] e : layer) {
                String[] dims = e[1].split(",");
                long[] shape = new long[dims.length];
                for (int i = 0; i < dims.length; i++) {
                    shape[i] = dims[i].equals("d") ? DIM : dims[i].equals("3d") ? 3 * DIM : 4 * DIM;
                }
                t.put(MaskTransformerNames.layer(0, e[0]), rand(m, shape));
            }
            t.put(MaskTransformerNames.DECODER_NORM_WEIGHT, rand(m, DIM).add(1));
            t.put(MaskTransformerNames.DECODER_NORM_BIAS, rand(m, DIM));
            t.put(MaskTransformerNames.PATCH_PROJ, rand(m, DIM, DIM));
            t.put(MaskTransformerNames.CLASSES_PROJ, rand(m, DIM, DIM));
            t.put(MaskTransformerNames.MASK_NORM_WEIGHT, rand(m, CLASSES).add(1));
            t.put(MaskTransformerNames.MASK_NORM_BIAS, rand(m, CLASSES));
            // mmseg Segmenter checkpoints also carry the unused conv_seg of BaseDecodeHead: cls_emb must win
            t.put(LinearSegmentationHead.MMSEG_WEIGHT, rand(m, CLASSES, channels, 1, 1));
            t.put(LinearSegmentationHead.MMSEG_BIAS, rand(m, CLASSES));
            SafetensorsWriter.write(target.resolve(SegmentationModel.HEAD_FILE), t, null);
        }
    }

    static NDArray rand(NDManager m, long... shape) {
        return m.randomNormal(0, 0.3f, new Shape(shape), DataType.FLOAT32);
    }

    static Policy policy(String yaml) {
        return PolicyLoader.withDefaults().parse(yaml, false, "test.yaml", "test", null);
    }

    static NDArray pixels(NDManager m) {
        m.getEngine().setRandomSeed(11);
        return m.randomNormal(new Shape(2, 3, 64, 64));
    }

    static double maxDiff(NDArray a, NDArray b) {
        return a.sub(b).abs().max().getFloat();
    }

    @Test
    void picksTheMaskTransformerWhenClassEmbeddingsArePresent() {
        assertThat(model.headKind()).isEqualTo(HeadKind.MASK_TRANSFORMER);
        assertThat(model.head()).isInstanceOf(MaskTransformerHead.class);
        MaskTransformerHead head = (MaskTransformerHead) model.head();
        assertThat(head.numHeads()).isEqualTo(2);
        assertThat(head.numLayers()).isEqualTo(1);
        assertThat(head.embedDim()).isEqualTo(DIM);
        assertThat(model.numClasses()).isEqualTo(CLASSES);
        assertThat(model.toString()).contains("mask-transformer head");
    }

    @Test
    void detectsTheHeadKindFromTensorNames(@TempDir Path linear) throws IOException {
        assertThat(SegmentationHeads.detect(dir)).isEqualTo(HeadKind.MASK_TRANSFORMER);
        assertThat(SegmentationHeads.detect(SharedFixtures.fixture("vit/vit_plain/timm"))).isNull();
        try (NDManager m = NDManager.newBaseManager()) {
            SafetensorsWriter.write(linear.resolve(SegmentationModel.HEAD_FILE), Map.of(
                    LinearSegmentationHead.WEIGHT, m.zeros(new Shape(3, 64)),
                    LinearSegmentationHead.BIAS, m.zeros(new Shape(3))), null);
        }
        assertThat(SegmentationHeads.detect(linear)).isEqualTo(HeadKind.LINEAR);
        assertThat(SegmentationHeads.detect(linear.resolve("missing"))).isNull();
    }

    @Test
    void baselineEqualsTheDecoderOnAllPatchTokens() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = pixels(m);
            SegmentationOutput out = model.predict(x, Policy.none(), m, 40, 48);
            assertThat(out.restored()).isFalse();
            assertThat(out.gridLogits().getShape()).isEqualTo(new Shape(2, CLASSES, 8, 8));
            assertThat(out.logits().getShape()).isEqualTo(new Shape(2, CLASSES, 40, 48));
            EncoderOutput enc = model.encoder().encode(x, Policy.none(), m);
            NDArray expected = model.head().logitMap(enc.patchTokens(), GRID, m);
            assertThat(maxDiff(out.gridLogits(), expected)).isLessThanOrEqualTo(TOL);
            assertThat(maxDiff(out.logits(), BilinearUpsample.apply(expected, 40, 48, m))).isLessThanOrEqualTo(TOL);
        }
    }

    @Test
    void expeditRunsTheDecoderOnTheReconstructedFullGrid() {
        Policy expedit = policy("""
                steps:
                  - {op: expedit-cluster, at: {block: 1}, params: {clusters: "4x4", iterations: 3, window: 3, temperature: 1.0}}
                  - {op: expedit-reconstruct, at: output, params: {k: 4, temperature: 1.0}}
                """);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = pixels(m);
            SegmentationOutput out = model.predict(x, expedit, m);
            assertThat(out.restored()).isTrue();
            assertThat(out.encoder().patchTokens().getShape()).isEqualTo(new Shape(2, 16, 64));
            assertThat(out.gridLogits().getShape()).isEqualTo(new Shape(2, CLASSES, 8, 8));
            assertThat(out.logits().getShape()).isEqualTo(new Shape(2, CLASSES, 64, 64));
            // the decoder cannot run on the 16 cluster tokens: it needs the 64-token grid
            assertThatThrownBy(() -> model.head().logitMap(out.encoder().patchTokens(), GRID, m))
                    .isInstanceOf(InvalidInputException.class);
            // the same run with the encoder's token reconstruction: the decoder on those tokens
            EncoderOutput enc = model.encoder().encode(x, expedit, m, EncodeOptions.defaults());
            assertThat(enc.reconstructed().getShape()).isEqualTo(new Shape(2, 64, 64));
            NDArray viaTokens = model.head().logitMap(enc.reconstructed(), GRID, m);
            assertThat(maxDiff(out.gridLogits(), viaTokens)).isLessThanOrEqualTo(TOL);
            // asking predict for the reconstruction too reuses it and gives the same logits
            SegmentationOutput reused = model.predict(x, expedit, m, 64, 64, EncodeOptions.defaults());
            assertThat(maxDiff(reused.gridLogits(), viaTokens)).isLessThanOrEqualTo(TOL);
        }
    }

    @Test
    void identityExpeditMatchesTheBaseline() {
        // an 8x8 clustering of the 8x8 grid with window 1 and no iterations keeps every token as its own centre,
        // and naive unpooling copies it back: the restored grid is the baseline's, so the logits must agree
        Policy identity = policy("""
                steps:
                  - {op: expedit-cluster, at: {block: 1}, params: {clusters: "8x8", iterations: 0, window: 1, temperature: 1.0}}
                  - {op: expedit-reconstruct, at: output, params: {mode: naive}}
                """);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = pixels(m);
            SegmentationOutput reduced = model.predict(x, identity, m);
            SegmentationOutput baseline = model.predict(x, Policy.none(), m);
            assertThat(reduced.restored()).isTrue();
            assertThat(reduced.gridLogits().getShape()).isEqualTo(baseline.gridLogits().getShape());
            assertThat(maxDiff(reduced.gridLogits(), baseline.gridLogits())).isLessThanOrEqualTo(TOL);
        }
    }

    @Test
    void tomeUnmergesTokensBeforeTheDecoder() {
        Policy tome = policy("steps:\n  - {op: tome, at: blocks, params: {r: 4}}\n");
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = pixels(m);
            SegmentationOutput out = model.predict(x, tome, m);
            assertThat(out.restored()).isTrue();
            assertThat(out.encoder().patchTokens().getShape().get(1)).isEqualTo(64 - 4 * 4);
            assertThat(out.gridLogits().getShape()).isEqualTo(new Shape(2, CLASSES, 8, 8));
            EncoderOutput enc = model.encoder().encode(x, tome, m, EncodeOptions.defaults());
            NDArray viaTokens = model.head().logitMap(enc.reconstructed(), GRID, m);
            assertThat(maxDiff(out.gridLogits(), viaTokens)).isLessThanOrEqualTo(TOL);
        }
    }

    @Test
    void missingHeadCountAndMismatchesAreRejected(@TempDir Path noHeads, @TempDir Path narrow,
            @TempDir Path classes) throws IOException {
        writeModel(noHeads, null, 64);
        assertThatThrownBy(() -> SegmentationModel.load(noHeads)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("decode_head.num_heads").hasMessageContaining(MaskTransformerNames.CLS_EMB);
        writeModel(narrow, 2, 32);
        assertThatThrownBy(() -> SegmentationModel.load(narrow)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("mask-transformer head expects 32 channels")
                .hasMessageContaining("embed_dim 64");
        writeModel(classes, 2, 64);
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = (ObjectNode) json.readTree(classes.resolve("config.json").toFile());
        config.put(SegmentationModel.NUM_CLASSES_FIELD, CLASSES + 1);
        Files.writeString(classes.resolve("config.json"), json.writeValueAsString(config));
        assertThatThrownBy(() -> SegmentationModel.load(classes)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("num_classes=" + (CLASSES + 1))
                .hasMessageContaining("mask-transformer head has " + CLASSES + " classes");
    }
}
