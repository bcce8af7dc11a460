package dev.tokenreduce.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenreduce.core.safetensors.SafetensorsFile;
import dev.tokenreduce.core.safetensors.SafetensorsWriter;
import dev.tokenreduce.core.testing.SharedFixtures;
import dev.tokenreduce.core.testing.Tolerance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeaturesCommandTest {

    @TempDir
    Path dir;

    private static float[] floats(Path file, String name) {
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            return f.readFloats(name);
        }
    }

    private static long[] shape(Path file, String name) {
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            return f.info(name).shape();
        }
    }

    @Test
    void withoutPolicyWritesEveryBlockMatchingTimm() {
        Path model = SharedFixtures.fixture("vit/vit_plain/timm");
        Path io = SharedFixtures.fixture("vit/vit_plain/io_64x64.safetensors");
        Path out = dir.resolve("features.safetensors");
        Cli r = Cli.run("features", "--model", model.toString(), "--pixels", io.toString(), "--output", out.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        try (SafetensorsFile f = SafetensorsFile.open(out)) {
            assertThat(f.names()).containsExactly("embeddings", "block.0", "block.1", "block.2", "block.3", "final");
            assertThat(f.metadata()).containsEntry("producer", "tokenreduce features").containsEntry("policy", "none");
        }
        for (String name : new String[] {"embeddings", "block.0", "block.1", "block.2", "block.3", "final"}) {
            Tolerance.assertClose(floats(out, name), floats(io, name), 1e-4, name);
            assertThat(shape(out, name)).containsExactly(2, 65, 64);
        }
        assertThat(r.out()).contains("policy: none").contains("final (2, 65, 64) float32");
    }

    @Test
    void withAnExpeditPolicyWritesFinalAndReconstructedMatchingTheHourglassReference() throws Exception {
        Path model = SharedFixtures.fixture("vit/vit_plain/timm");
        Path ref = SharedFixtures.fixture("hourglass/vit_plain_64x64_alpha2.safetensors");
        Path policy = dir.resolve("expedit.yaml");
        Files.writeString(policy, String.join("\n",
                "name: expedit-test",
                "steps:",
                "  - op: expedit-cluster",
                "    at: {block: 2}",
                "    params: {clusters: 4x4, iterations: 5, window: 3, temperature: 0.0030469531193375587}",
                "  - op: expedit-reconstruct",
                "    at: output",
                "    params: {k: 3, temperature: 0.0030469531193375587}",
                ""));
        Path out = dir.resolve("reduced.safetensors");
        Cli r = Cli.run("features", "--model", model.toString(), "--pixels", ref.toString(), "--output",
                out.toString(), "--policy", policy.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        try (SafetensorsFile f = SafetensorsFile.open(out)) {
            assertThat(f.names()).containsExactly("final", "reconstructed");
            assertThat(f.metadata()).containsEntry("policy", "expedit-test");
        }
        assertThat(shape(out, "final")).containsExactly(2, 17, 64);
        assertThat(shape(out, "reconstructed")).containsExactly(2, 64, 64);
        Tolerance.assertClose(floats(out, "final"), floats(ref, "clustered_final"), 1e-4, "final");
        Tolerance.assertClose(floats(out, "reconstructed"), floats(ref, "reconstructed_patch_tokens"), 1e-4,
                "reconstructed");
        assertThat(r.out()).contains("expedit-cluster@block 2: 64 -> 16");
    }

    @Test
    void missingPixelValuesAndBadModelAreInputErrors() {
        Path model = SharedFixtures.fixture("vit/vit_plain/timm");
        Path noPixels = dir.resolve("nopix.safetensors");
        SafetensorsWriter.writeFloats(noPixels, "images", new float[12], 1, 3, 2, 2);
        Cli r = Cli.run("features", "--model", model.toString(), "--pixels", noPixels.toString(), "--output",
                dir.resolve("o.safetensors").toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("'pixel_values' not found").contains("(it has: images)").doesNotContain("\tat ");

        Path wrongSize = dir.resolve("odd.safetensors");
        float[] px = new float[3 * 60 * 60];
        Arrays.fill(px, 0.5f);
        SafetensorsWriter.writeFloats(wrongSize, "pixel_values", px, 1, 3, 60, 60);
        Cli size = Cli.run("features", "--model", model.toString(), "--pixels", wrongSize.toString(), "--output",
                dir.resolve("o.safetensors").toString());
        assertThat(size.exitCode()).isEqualTo(2);
        assertThat(size.err()).contains("multiple of the patch size 8");

        Cli noModel = Cli.run("features", "--model", dir.resolve("nomodel").toString(), "--pixels",
                wrongSize.toString(), "--output", dir.resolve("o.safetensors").toString());
        assertThat(noModel.exitCode()).as(noModel.toString()).isEqualTo(2);
        assertThat(noModel.err()).contains("nomodel").doesNotContain("\tat ");
    }

    @Test
    void policyErrorsNameTheFileAndStep() throws Exception {
        Path model = SharedFixtures.fixture("vit/vit_plain/timm");
        Path io = SharedFixtures.fixture("vit/vit_plain/io_64x64.safetensors");
        Path policy = dir.resolve("bad.yaml");
        Files.writeString(policy, "steps:\n  - op: expedit-cluster\n    at: {block: 9}\n"
                + "    params: {clusters: 4x4, temperature: 0.01}\n");
        Cli r = Cli.run("features", "--model", model.toString(), "--pixels", io.toString(), "--output",
                dir.resolve("o.safetensors").toString(), "--policy", policy.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("bad.yaml").contains("block 9").doesNotContain("\tat ");
    }

    @Test
    void inspectShowsLayoutHookPointsAndFlops() {
        Path model = SharedFixtures.fixture("vit/vit_plain/timm");
        Cli r = Cli.run("inspect", "--model", model.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("blocks:       4").contains("width:        64 (4 heads of 16)")
                .contains("tokens:       65 at 64x64 (1 prefix + 8x8 patches)")
                .contains("{block: 0} .. {block: 4}").contains("token schedule 65×4")
                .contains("expedit-cluster:").contains("tome:").contains("head:         none (encoder only)");
        // 2 * 64 patches * 192 * 64 + 4 blocks of (8 n C^2 + 4 n^2 C + 4 n C H), n = 65, C = 64, H = 256
        long matmul = 2L * 64 * 192 * 64 + 4 * (8L * 65 * 64 * 64 + 4L * 65 * 65 * 64 + 4L * 65 * 64 * 256);
        assertThat(r.out()).contains(String.format(java.util.Locale.ROOT, "%.4f GMACs", matmul / 2e9));
        Cli bigger = Cli.run("inspect", "--model", model.toString(), "--image-size", "80x96");
        assertThat(bigger.out()).contains("tokens:       121 at 80x96");
        Cli bad = Cli.run("inspect", "--model", model.toString(), "--image-size", "81x96");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("multiple of the patch size 8");
    }
}
