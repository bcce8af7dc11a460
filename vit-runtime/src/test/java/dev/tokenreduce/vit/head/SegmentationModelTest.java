package dev.tokenreduce.vit.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.GridSize;
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
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixture ViT (64×64 input, patch 8, C = 64) with a random 5-class head in {@code head.safetensors}: the
 * baseline equals the head on all patch tokens, reduced runs restore full-grid logits, and restoring logits equals
 * running the head on the restored tokens (the head is linear and the bias is added after restoring; Expedit's
 * official L2-normalised weights do not sum to one).
 */
class SegmentationModelTest {

    static final int CLASSES = 5;
    static final double TOL = 1e-4;

    @TempDir
    static Path dir;
    static SegmentationModel model;

    @BeforeAll
    static void load() throws IOException {
        Path fixture = SharedFixtures.fixture("vit/vit_plain/timm");
        Files.copy(fixture.resolve("config.json"), dir.resolve("config.json"));
        Files.copy(fixture.resolve("model.safetensors"), dir.resolve("model.safetensors"));
        try (NDManager m = NDManager.newBaseManager()) {
            m.getEngine().setRandomSeed(3);
            NDArray w = m.randomNormal(0, 0.5f, new Shape(CLASSES, 64), ai.djl.ndarray.types.DataType.FLOAT32);
            NDArray b = m.randomNormal(0, 0.5f, new Shape(CLASSES), ai.djl.ndarray.types.DataType.FLOAT32);
            SafetensorsWriter.write(dir.resolve(SegmentationModel.HEAD_FILE),
                    Map.of(LinearSegmentationHead.WEIGHT, w, LinearSegmentationHead.BIAS, b), null);
        }
        model = SegmentationModel.load(dir);
    }

    @AfterAll
    static void close() {
        model.close();
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
    void baselineEqualsTheHeadOnAllPatchTokens() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = pixels(m);
            SegmentationOutput out = model.predict(x, Policy.none(), m, 100, 90);
            assertThat(out.restored()).isFalse();
            assertThat(out.gridLogits().getShape()).isEqualTo(new Shape(2, CLASSES, 8, 8));
            assertThat(out.logits().getShape()).isEqualTo(new Shape(2, CLASSES, 100, 90));
            assertThat(out.predictions().getShape()).isEqualTo(new Shape(2, 100, 90));
            EncoderOutput enc = model.encoder().encode(x, Policy.none(), m);
            NDArray expected = model.head().logitMap(enc.patchTokens(), new GridSize(8, 8), m);
            assertThat(maxDiff(out.gridLogits(), expected)).isLessThanOrEqualTo(TOL);
            assertThat(maxDiff(out.logits(), BilinearUpsample.apply(expected, 100, 90, m))).isLessThanOrEqualTo(TOL);
        }
    }

    @Test
    void expeditRestoresFullGridLogitsEqualToTheHeadOnReconstructedTokens() {
        Policy expedit = policy("""
                steps:
                  - {op: expedit-cluster, at: {block: 1}, params: {clusters: "4x4", iterations: 3, window: 3, temperature: 1.0}}
                  - {op: expedit-reconstruct, at: output, params: {k: 4, temperature: 1.0}}
                """);
        checkRestored(expedit, 16);
    }

    @Test
    void tomeRestoresFullGridLogits() {
        checkRestored(policy("steps:\n  - {op: tome, at: blocks, params: {r: 4}}\n"), 64 - 4 * 4);
    }

    private void checkRestored(Policy policy, int reducedTokens) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = pixels(m);
            SegmentationOutput out = model.predict(x, policy, m);
            assertThat(out.restored()).isTrue();
            assertThat(out.encoder().patchTokens().getShape().get(1)).isEqualTo(reducedTokens);
            assertThat(out.gridLogits().getShape()).isEqualTo(new Shape(2, CLASSES, 8, 8));
            assertThat(out.logits().getShape()).isEqualTo(new Shape(2, CLASSES, 64, 64));
            // the same run with token reconstruction: the head on the restored tokens gives the same logits
            EncoderOutput enc = model.encoder().encode(x, policy, m, EncodeOptions.defaults());
            NDArray viaTokens = model.head().logitMap(enc.reconstructed(), new GridSize(8, 8), m);
            assertThat(maxDiff(out.gridLogits(), viaTokens)).isLessThanOrEqualTo(TOL);
        }
    }

    @Test
    void mismatchedHeadIsRejected(@TempDir Path other) throws IOException {
        Path fixture = SharedFixtures.fixture("vit/vit_plain/timm");
        Files.copy(fixture.resolve("config.json"), other.resolve("config.json"));
        Files.copy(fixture.resolve("model.safetensors"), other.resolve("model.safetensors"));
        try (NDManager m = NDManager.newBaseManager()) {
            SafetensorsWriter.write(other.resolve(SegmentationModel.HEAD_FILE), Map.of(
                    LinearSegmentationHead.WEIGHT, m.zeros(new Shape(3, 32)),
                    LinearSegmentationHead.BIAS, m.zeros(new Shape(3))), null);
        }
        assertThatThrownBy(() -> SegmentationModel.load(other)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("32 channels").hasMessageContaining("embed_dim 64");
    }
}
