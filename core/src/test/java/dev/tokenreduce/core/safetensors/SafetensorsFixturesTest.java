package dev.tokenreduce.core.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tokenreduce.core.testing.SharedFixtures;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Files written by Python's safetensors (golden fixtures), with values checked against a Python reading. */
class SafetensorsFixturesTest {

    private static final Path MODEL = SharedFixtures.fixture("vit/vit_plain/timm/model.safetensors");
    private static final Path IO = SharedFixtures.fixture("vit/vit_plain/io_64x64.safetensors");

    private static double sum(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x;
        }
        return s;
    }

    @Test
    void readsTheTimmModel() {
        try (SafetensorsFile f = SafetensorsFile.open(MODEL)) {
            assertThat(f.names()).hasSize(4 * 12 + 4 + 2);
            assertThat(f.names()).startsWith("cls_token", "pos_embed", "patch_embed.proj.weight");
            assertThat(f.names()).contains("blocks.3.mlp.fc2.weight", "norm.bias");
            assertThat(f.metadata()).isEmpty();
            TensorInfo cls = f.info("cls_token");
            assertThat(cls.dtype()).isEqualTo(SafetensorsDType.F32);
            assertThat(cls.shape()).containsExactly(1, 1, 64);
            assertThat(cls.begin()).isZero();
            assertThat(cls.end()).isEqualTo(256);
            assertThat(f.info("pos_embed").shape()).containsExactly(1, 65, 64);
            assertThat(f.info("patch_embed.proj.weight").shape()).containsExactly(64, 3, 8, 8);
            assertThat(f.info("blocks.0.attn.qkv.weight").shape()).containsExactly(192, 64);

            float[] c = f.readFloats("cls_token");
            assertThat(c[0]).isEqualTo(-0.41006726026535034f);
            assertThat(c[1]).isEqualTo(0.19781558215618134f);
            assertThat(c[63]).isEqualTo(0.3770962655544281f);
            assertThat(sum(c)).isCloseTo(-4.114422018581536, within(1e-5));
            float[] w = f.readFloats("blocks.3.mlp.fc2.weight");
            assertThat(w).hasSize(64 * 256);
            assertThat(w[0]).isEqualTo(-0.04151416942477226f);
            assertThat(w[w.length - 1]).isEqualTo(-0.010138371959328651f);
            assertThat(sum(w)).isCloseTo(8.181972010048412, within(1e-4));
            assertThat(sum(f.readFloats("norm.bias"))).isCloseTo(-0.3485649931244552, within(1e-5));
        }
    }

    @Test
    void readsTheInputOutputFixtureThroughDjlAndSmallWindows() {
        try (SafetensorsFile f = SafetensorsFile.open(IO);
                SafetensorsFile windowed = SafetensorsFile.open(IO, 4096 + 4, 10_000);
                NDManager manager = NDManager.newBaseManager()) {
            assertThat(f.names()).containsExactly("pixel_values", "embeddings", "final", "block.0", "block.1",
                    "block.2", "block.3");
            float[] pixels = f.readFloats("pixel_values");
            assertThat(pixels).hasSize(2 * 3 * 64 * 64);
            assertThat(pixels[0]).isEqualTo(-0.7212069630622864f);
            assertThat(pixels[2]).isEqualTo(0.12217334657907486f);
            assertThat(pixels[pixels.length - 1]).isEqualTo(0.6265633702278137f);
            assertThat(sum(pixels)).isCloseTo(191.79416268985415, within(1e-3));
            assertThat(sum(f.readFloats("final"))).isCloseTo(-225.2332251249536, within(1e-3));
            for (String name : f.names()) {
                NDArray loaded = f.load(name, manager);
                assertThat(loaded.getShape().getShape()).as(name).containsExactly(f.info(name).shape());
                assertThat(loaded.toFloatArray()).as(name).containsExactly(f.readFloats(name));
                assertThat(windowed.readFloats(name)).as(name).containsExactly(f.readFloats(name));
                assertThat(windowed.load(name, manager).contentEquals(loaded)).as(name).isTrue();
            }
        }
    }

    @Test
    void opensTheModelDirectoryAsACheckpoint() {
        try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(MODEL.getParent())) {
            assertThat(c.isSharded()).isFalse();
            assertThat(c.files()).containsExactly(MODEL);
            assertThat(c.names()).hasSize(54);
            assertThat(c.readFloats("cls_token")[0]).isEqualTo(-0.41006726026535034f);
        }
    }
}
