package dev.tokenreduce.vit.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
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
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The linear depth head: activations, shapes, config detection, bad weights, and Expedit before it. */
class LinearDepthHeadTest {

    static final GridSize GRID = new GridSize(2, 3);

    @TempDir
    Path dir;

    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    @Test
    void eachActivationMapsTheLinearOutputPerToken() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] w = random(4, 1);
            float[] t = random(2 * 6 * 4, 2);
            NDArray tokens = m.create(t, new Shape(2, 6, 4));
            for (DepthActivation a : DepthActivation.values()) {
                LinearDepthHead head = new LinearDepthHead(m.create(w, new Shape(1, 4)),
                        m.create(new float[] {0.3f}, new Shape(1)), a, 10f);
                NDArray map = head.logitMap(tokens, GRID, m);
                assertThat(map.getShape()).isEqualTo(new Shape(2, 1, 2, 3));
                float[] got = map.toFloatArray();
                for (int i = 0; i < 12; i++) {
                    double z = 0.3;
                    for (int c = 0; c < 4; c++) {
                        z += w[c] * t[i * 4 + c];
                    }
                    double expected = switch (a) {
                        case RELU -> Math.max(z, 0);
                        case EXP -> Math.exp(z);
                        case SIGMOID -> 10 / (1 + Math.exp(-z));
                    };
                    assertThat((double) got[i]).as(a + " token " + i).isCloseTo(expected, within(1e-5));
                }
                NDArray up = BilinearUpsample.apply(map, 16, 24, m);
                assertThat(up.getShape()).isEqualTo(new Shape(2, 1, 16, 24));
                assertThat(up.min().getFloat()).isGreaterThanOrEqualTo(0f);
            }
        }
    }

    @Test
    void misShapedWeightsAndTokensAreClearErrors() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> new LinearDepthHead(m.zeros(new Shape(3, 4)), m.zeros(new Shape(1)),
                    DepthActivation.RELU, Float.NaN)).isInstanceOf(InvalidInputException.class).hasMessageContaining(
                    "(1, C)");
            assertThatThrownBy(() -> new LinearDepthHead(m.zeros(new Shape(1, 4)), m.zeros(new Shape(1)),
                    DepthActivation.SIGMOID, Float.NaN)).hasMessageContaining("max_depth");
            LinearDepthHead head = new LinearDepthHead(m.zeros(new Shape(1, 4)), m.zeros(new Shape(1)),
                    DepthActivation.EXP, Float.NaN);
            assertThatThrownBy(() -> head.logitMap(m.zeros(new Shape(1, 5, 4)), GRID, m))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("(B, 6, 4)");
        }
        assertThatThrownBy(() -> DepthActivation.parse("tanh")).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("relu, exp or sigmoid");
    }

    /** The fixture ViT (64×64, patch 8, C 64) with a random depth head and the given "head" config entry. */
    private Path model(String headJson, int outputs) throws IOException {
        Path vit = SharedFixtures.fixture("vit/vit_plain/timm");
        Files.createDirectories(dir);
        String config = Files.readString(vit.resolve("config.json")).trim();
        config = config.substring(0, config.lastIndexOf('}')) + ", \"head\": " + headJson + "}";
        Files.writeString(dir.resolve("config.json"), config);
        Files.copy(vit.resolve("model.safetensors"), dir.resolve("model.safetensors"));
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> t = new LinkedHashMap<>();
            t.put("head.weight", m.create(random(outputs * 64, 3), new Shape(outputs, 64)).mul(0.1f));
            t.put("head.bias", m.create(new float[outputs], new Shape(outputs)).add(1f));
            SafetensorsWriter.write(dir.resolve(SegmentationHeads.HEAD_FILE), t, Map.of("format", "pt"));
        }
        return dir;
    }

    @Test
    void configDeclaresTheDepthHeadAndExpeditRestoresTokensBeforeIt() throws IOException {
        Path model = model("{\"task\": \"depth\", \"activation\": \"sigmoid\", \"max_depth\": 10}", 1);
        assertThat(SegmentationHeads.declaresDepth(model)).isTrue();
        assertThat(SegmentationHeads.detect(model)).isEqualTo(HeadKind.LINEAR_DEPTH);
        Policy expedit = PolicyLoader.withDefaults().parse("""
                steps:
                  - {op: expedit-cluster, at: {block: 1}, params: {clusters: "4x4", iterations: 3, window: 3, temperature: 1.0}}
                  - {op: expedit-reconstruct, at: output, params: {k: 4, temperature: 1.0}}
                """, false, "test.yaml", "test", null);
        try (SegmentationModel seg = SegmentationModel.load(model); NDManager m = NDManager.newBaseManager()) {
            assertThat(seg.head()).isInstanceOf(LinearDepthHead.class);
            assertThat(seg.headKind().depth()).isTrue();
            NDArray x = m.create(random(3 * 64 * 64, 4), new Shape(1, 3, 64, 64));
            SegmentationOutput base = seg.predict(x, Policy.none(), m, 32, 48);
            assertThat(base.gridLogits().getShape()).isEqualTo(new Shape(1, 1, 8, 8));
            assertThat(base.logits().getShape()).isEqualTo(new Shape(1, 1, 32, 48));
            assertThat(base.logits().max().getFloat()).isLessThan(10f);
            SegmentationOutput reduced = seg.predict(x, expedit, m);
            assertThat(reduced.restored()).isTrue();
            EncoderOutput enc = seg.encoder().encode(x, expedit, m, EncodeOptions.defaults());
            NDArray viaTokens = seg.head().logitMap(enc.reconstructed(), new GridSize(8, 8), m);
            assertThat(reduced.gridLogits().sub(viaTokens).abs().max().getFloat()).isLessThan(1e-4f);
        }
    }

    @Test
    void aDepthConfigWithAClassifierShapedWeightIsRejected() throws IOException {
        Path model = model("{\"task\": \"depth\"}", 3);
        try (NDManager m = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> SegmentationHeads.load(model, m)).isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining("(1, C)").hasMessageContaining("[3, 64]".replace("[", "(").replace("]",
                    ")"));
        }
    }

    @Test
    void badTaskOrMissingMaxDepthNameTheConfigField() throws IOException {
        Path model = model("{\"task\": \"normals\"}", 1);
        assertThatThrownBy(() -> SegmentationHeads.declaresDepth(model)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("head.task");
        Files.writeString(model.resolve("config.json"), Files.readString(model.resolve("config.json"))
                .replace("{\"task\": \"normals\"}", "{\"task\": \"depth\", \"activation\": \"sigmoid\"}"));
        try (NDManager m = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> SegmentationHeads.load(model, m)).isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining("head.max_depth");
        }
    }
}
