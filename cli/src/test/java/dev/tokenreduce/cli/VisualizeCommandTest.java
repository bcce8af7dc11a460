package dev.tokenreduce.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenreduce.core.safetensors.SafetensorsWriter;
import dev.tokenreduce.datasets.image.ImageFiles;
import dev.tokenreduce.datasets.image.ImageSize;
import dev.tokenreduce.datasets.image.Normalization;
import dev.tokenreduce.datasets.image.Resize;
import dev.tokenreduce.datasets.image.RgbImage;
import dev.tokenreduce.eval.defaults.EmbeddedDefault;
import dev.tokenreduce.vit.config.ModelDirectory;
import dev.tokenreduce.vit.config.VitConfig;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tokenreduce visualize} on the embedded default model (128×128 input, patch 8: a 16×16 grid). */
class VisualizeCommandTest {

    private static final int SIDE = 128;
    private static final int PATCH = 8;

    @TempDir
    Path dir;

    private Path image;

    /** A 96×80 scene: bright background, a red square, a blue bar; no channel below 40, so dimming always shows. */
    private static RgbImage scene() {
        int w = 96;
        int h = 80;
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r = 200;
                int g = 190 - y;
                int b = 120 + x;
                if (x >= 10 && x < 40 && y >= 12 && y < 44) {
                    r = 230;
                    g = 50;
                    b = 60;
                } else if (y >= 56 && y < 70) {
                    r = 40;
                    g = 70;
                    b = 220;
                }
                int i = 3 * (y * w + x);
                rgb[i] = (byte) r;
                rgb[i + 1] = (byte) g;
                rgb[i + 2] = (byte) b;
            }
        }
        return new RgbImage(w, h, rgb);
    }

    @BeforeEach
    void writeImage() {
        image = dir.resolve("scene.png");
        ImageFiles.writeRgb(image, scene());
    }

    private Path policy(String name, String... stepLines) throws Exception {
        Path p = dir.resolve(name + ".yaml");
        Files.writeString(p, "name: " + name + "\nsteps:\n" + String.join("\n", stepLines) + "\n");
        return p;
    }

    private static BufferedImage png(Path file) throws Exception {
        assertThat(file).isRegularFile();
        BufferedImage img = ImageIO.read(file.toFile());
        assertThat(img).as("a PNG ImageIO can read: " + file).isNotNull();
        return img;
    }

    /** The plain image the model saw: the scene resized to 128×128 by the same OpenCV pipeline. */
    private RgbImage plain() {
        return Resize.bilinear(ImageFiles.readRgb(image), new ImageSize(SIDE, SIDE));
    }

    private static int rgbAt(RgbImage img, int x, int y) {
        return (img.get(x, y, 0) << 16) | (img.get(x, y, 1) << 8) | img.get(x, y, 2);
    }

    @Test
    void expeditClusteringDrawsAClusterMapOverTheImage() throws Exception {
        Path policy = policy("expedit-test",
                "  - op: expedit-cluster",
                "    at: {block: 2}",
                "    params: {clusters: 4x4, iterations: 5, window: 5, temperature: 0.58}",
                "  - op: expedit-reconstruct",
                "    at: output",
                "    params: {k: 8, temperature: 0.58, norm: l1}");
        Path out = dir.resolve("expedit.png");
        Cli r = Cli.run("visualize", "--policy", policy.toString(), "--image", image.toString(), "--output",
                out.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("step 1 expedit-cluster at block 2: 256 -> 16 tokens, cluster map")
                .contains("step 2 expedit-reconstruct at output: 16 -> 16 tokens, nothing reduced (not drawn)")
                .contains("wrote " + out);
        // one reducing step: written to OUT itself, no per-step files
        try (var files = Files.list(dir)) {
            assertThat(files.filter(f -> f.getFileName().toString().startsWith("expedit.step"))).isEmpty();
        }
        BufferedImage map = png(out);
        assertThat(map.getWidth()).isEqualTo(SIDE);
        assertThat(map.getHeight()).isEqualTo(SIDE);
        RgbImage plain = plain();
        int differ = 0;
        int border = 0;
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                int v = map.getRGB(x, y) & 0xffffff;
                differ += v != rgbAt(plain, x, y) ? 1 : 0;
                border += v == 0x202020 ? 1 : 0;
            }
        }
        // the label colours cover the image, and 16 clusters leave borders between them
        assertThat(differ).isGreaterThan(SIDE * SIDE * 9 / 10);
        assertThat(border).isGreaterThan(SIDE);
    }

    @Test
    void randomKeepDimsExactlyTheDroppedPatches() throws Exception {
        Path policy = policy("random-test",
                "  - op: random",
                "    at: {block: 1}",
                "    params: {keep: 16, seed: 3}");
        Path out = dir.resolve("sub/random.png");
        Cli r = Cli.run("visualize", "--policy", policy.toString(), "--image", image.toString(), "--output",
                out.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("step 1 random at block 1: 256 -> 16 tokens, kept tokens");
        BufferedImage kept = png(out);
        assertThat(kept.getWidth()).isEqualTo(SIDE);
        assertThat(kept.getHeight()).isEqualTo(SIDE);
        RgbImage plain = plain();
        int unchangedPatches = 0;
        for (int py = 0; py < SIDE / PATCH; py++) {
            for (int px = 0; px < SIDE / PATCH; px++) {
                int same = 0;
                for (int y = py * PATCH; y < (py + 1) * PATCH; y++) {
                    for (int x = px * PATCH; x < (px + 1) * PATCH; x++) {
                        int v = kept.getRGB(x, y);
                        int p = rgbAt(plain, x, y);
                        same += (v & 0xffffff) == p ? 1 : 0;
                        // dropped patches are only ever darker
                        assertThat((v >> 16) & 0xff).isLessThanOrEqualTo(p >> 16);
                    }
                }
                assertThat(same).as("patch %d,%d is either kept or dimmed as a whole", px, py).isIn(0, PATCH * PATCH);
                unchangedPatches += same == PATCH * PATCH ? 1 : 0;
            }
        }
        assertThat(unchangedPatches).isEqualTo(16);
    }

    @Test
    void pixelsInputWithSeveralStepsWritesOnePictureEachAtTheRequestedSize() throws Exception {
        VitConfig config = ModelDirectory.open(EmbeddedDefault.modelDir()).config();
        Normalization norm = Normalization.of(new float[] {config.imageMean().get(0).floatValue(),
            config.imageMean().get(1).floatValue(), config.imageMean().get(2).floatValue()},
                new float[] {config.imageStd().get(0).floatValue(), config.imageStd().get(1).floatValue(),
                    config.imageStd().get(2).floatValue()});
        float[] one = norm.toChw(plain());
        float[] two = new float[2 * one.length];
        System.arraycopy(one, 0, two, one.length, one.length); // image 0 all zeros, image 1 the scene
        Path pixels = dir.resolve("pixels.safetensors");
        SafetensorsWriter.writeFloats(pixels, "pixel_values", two, 2, 3, SIDE, SIDE);
        Path policy = policy("pool-then-random",
                "  - op: pool",
                "    at: {block: 1}",
                "    params: {clusters: 8x8}",
                "  - op: random",
                "    at: {block: 3}",
                "    params: {keep: 20, seed: 0}");
        Path out = dir.resolve("steps.png");
        Cli r = Cli.run("visualize", "--policy", policy.toString(), "--pixels", pixels.toString(), "--index", "1",
                "--output", out.toString(), "--size", "200");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Path pool = dir.resolve("steps.step1-pool.png");
        Path random = dir.resolve("steps.step2-random.png");
        assertThat(r.out()).contains("image 1").contains("step 1 pool at block 1: 256 -> 64 tokens, cluster map")
                .contains("step 2 random at block 3: 64 -> 20 tokens, cluster map, dropped patches dimmed")
                .contains("wrote " + pool).contains("wrote " + random);
        assertThat(out).doesNotExist();
        for (Path p : List.of(pool, random)) {
            BufferedImage img = png(p);
            assertThat(img.getWidth()).isEqualTo(200);
            assertThat(img.getHeight()).isEqualTo(200);
        }
        // the random step picks 20 of the 64 pooled regions (2x2 patches, 25 px at this size): the other 44 are
        // dimmed, in grid-cell terms, although its kept indices count pooled tokens
        assertThat(dimmedRegions(png(pool))).isZero();
        assertThat(dimmedRegions(png(random))).isEqualTo(64 - 20);
    }

    /** Regions of an 8x8 layout on a 200 px picture whose centre is dark (dimmed to a quarter). */
    private static int dimmedRegions(BufferedImage img) {
        int n = 0;
        for (int ry = 0; ry < 8; ry++) {
            for (int rx = 0; rx < 8; rx++) {
                int v = img.getRGB(25 * rx + 12, 25 * ry + 12);
                int max = Math.max((v >> 16) & 0xff, Math.max((v >> 8) & 0xff, v & 0xff));
                n += max < 90 ? 1 : 0;
            }
        }
        return n;
    }

    @Test
    void builtInPoliciesByName() throws Exception {
        Path out = dir.resolve("builtin.png");
        Cli r = Cli.run("visualize", "--policy", "expedit-a2-8x8", "--image", image.toString(), "--output",
                out.toString(), "--size", "64");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("policy: expedit-a2-8x8 (built-in)").contains("256 -> 64 tokens, cluster map");
        assertThat(png(out).getWidth()).isEqualTo(64);

        // ToMe merges inside every block: one picture of the merged groups after the last block
        Path tome = dir.resolve("tome.png");
        Cli t = Cli.run("visualize", "--policy", "tome-r32", "--image", image.toString(), "--output", tome.toString());
        assertThat(t.exitCode()).as(t.toString()).isZero();
        assertThat(t.out()).contains("step 1 tome at blocks: 256 -> 64 tokens over 6 calls, cluster map");
        assertThat(png(tome).getWidth()).isEqualTo(SIDE);
    }

    @Test
    void aPolicyThatReducesNothingIsAnError() throws Exception {
        Path keepAll = policy("keep-all",
                "  - op: random",
                "    at: {block: 1}",
                "    params: {keep: 256}");
        Path out = dir.resolve("none.png");
        assertUsageError(Cli.run("visualize", "--policy", keepAll.toString(), "--image", image.toString(), "--output",
                out.toString()), "keep-all", "reduced no tokens");
        assertThat(out).doesNotExist();
        Path empty = dir.resolve("empty.yaml");
        Files.writeString(empty, "name: nothing\nsteps: []\n");
        assertUsageError(Cli.run("visualize", "--policy", empty.toString(), "--image", image.toString(), "--output",
                out.toString()), "'nothing' has no steps");
    }

    @Test
    void badInputsAreUsageErrors() throws Exception {
        String out = dir.resolve("o.png").toString();
        Path notAnImage = dir.resolve("broken.png");
        Files.writeString(notAnImage, "this is not an image");
        assertUsageError(Cli.run("visualize", "--policy", "random-a2-keep64", "--image", notAnImage.toString(),
                "--output", out), "broken.png");
        assertUsageError(Cli.run("visualize", "--policy", "random-a2-keep64", "--image",
                dir.resolve("missing.jpg").toString(), "--output", out), "missing.jpg", "does not exist");
        assertUsageError(Cli.run("visualize", "--policy", "no-such-policy", "--image", image.toString(), "--output",
                out), "no-such-policy", "expedit-a2-8x8");
        assertUsageError(Cli.run("visualize", "--policy", "random-a2-keep64", "--image", image.toString(), "--output",
                dir.resolve("o.jpg").toString()), "--output", ".png");
        assertUsageError(Cli.run("visualize", "--policy", "random-a2-keep64", "--image", image.toString(), "--output",
                out, "--size", "5"), "--size");
        assertUsageError(Cli.run("visualize", "--policy", "random-a2-keep64", "--image", image.toString(), "--output",
                out, "--model", dir.resolve("nomodel").toString()), "nomodel");
        assertUsageError(Cli.run("visualize", "--policy", "random-a2-keep64", "--output", out), "--image", "--pixels");
        Path noPixels = dir.resolve("nopix.safetensors");
        SafetensorsWriter.writeFloats(noPixels, "images", new float[12], 1, 3, 2, 2);
        assertUsageError(Cli.run("visualize", "--policy", "random-a2-keep64", "--image", image.toString(),
                "--pixels", noPixels.toString(), "--output", out), "mutually exclusive");
        assertUsageError(Cli.run("visualize", "--policy", "random-a2-keep64", "--pixels", noPixels.toString(),
                "--output", out), "'pixel_values' not found", "images");
        Path beyond = policy("too-deep",
                "  - op: random",
                "    at: {block: 9}",
                "    params: {keep: 16}");
        assertUsageError(Cli.run("visualize", "--policy", beyond.toString(), "--image", image.toString(), "--output",
                out), "too-deep.yaml", "block 9");
        assertThat(Path.of(out)).doesNotExist();
    }

    private static void assertUsageError(Cli r, String... fragments) {
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).as(r.toString()).contains(fragments).doesNotContain("\tat ");
    }
}
