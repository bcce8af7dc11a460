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

class ApplyCommandTest {

    /** Parameters of expedit/vit_8x8_to_4x4 from the fixtures' manifest. */
    private static final String T = "temperature=0.0030469531193375587";

    @TempDir
    Path dir;

    private Path expedit() {
        return SharedFixtures.fixture("expedit/vit_8x8_to_4x4.safetensors");
    }

    private static float[] floats(Path file, String name) {
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            return f.readFloats(name);
        }
    }

    private static long[] longs(Path file, String name) {
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            return f.readLongs(name);
        }
    }

    private static long[] shape(Path file, String name) {
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            return f.info(name).shape();
        }
    }

    @Test
    void expeditClusterMatchesTheOfficialClustering() {
        Path out = dir.resolve("clustered.safetensors");
        Cli r = Cli.run("apply", "expedit-cluster", "--input", expedit().toString(), "--output", out.toString(),
                "--param", "grid=8x8", "--param", "clusters=4x4", "--param", "iterations=5", "--param", "window=3",
                "--param", T);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("clustered (2, 16, 64) float32").contains("hard_labels (2, 64) int64");
        Tolerance.assertClose(floats(out, "clustered"), floats(expedit(), "clustered"), 1e-5, "clustered");
        assertThat(shape(out, "clustered")).containsExactly(2, 16, 64);
        assertThat(longs(out, "hard_labels")).containsExactly(longs(expedit(), "hard_labels"));
        try (SafetensorsFile f = SafetensorsFile.open(out)) {
            assertThat(f.metadata()).containsEntry("op", "expedit-cluster").containsEntry("producer", "tokenreduce apply");
        }
    }

    @Test
    void expeditClusterInfersASquareGrid() {
        Path out = dir.resolve("c.safetensors");
        Cli r = Cli.run("apply", "expedit-cluster", "--input", expedit().toString(), "--output", out.toString(),
                "-p", "clusters=4x4", "-p", "iterations=5", "-p", "window=3", "-p", T);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Tolerance.assertClose(floats(out, "clustered"), floats(expedit(), "clustered"), 1e-5, "clustered");
    }

    @Test
    void expeditReconstructMatchesTheOfficialReconstruction() {
        for (String k : new String[] {"1", "3", "16", "all"}) {
            Path out = dir.resolve("rec" + k + ".safetensors");
            Cli r = Cli.run("apply", "expedit-reconstruct", "--input", expedit().toString(), "--output",
                    out.toString(), "--param", "k=" + k, "--param", T);
            assertThat(r.exitCode()).as(r.toString()).isZero();
            String expected = "reconstructed.k" + (k.equals("all") ? "-1" : k);
            Tolerance.assertClose(floats(out, "reconstructed"), floats(expedit(), expected), 1e-5, expected);
            assertThat(shape(out, "reconstructed")).containsExactly(2, 64, 10);
        }
    }

    @Test
    void todreDiversityMatchesTheReferenceSelectionOrder() {
        Path in = SharedFixtures.fixture("todre/n64_d16_k8.safetensors");
        for (String mode : new String[] {"max-sum", "k-center"}) {
            Path out = dir.resolve(mode + ".safetensors");
            Cli r = Cli.run("apply", "todre-diversity", "--input", in.toString(), "--output", out.toString(),
                    "--param", "keep=8", "--param", "mode=" + mode);
            assertThat(r.exitCode()).as(r.toString()).isZero();
            long[] expectedOrder = longs(in, mode.replace('-', '_') + "_order");
            assertThat(longs(out, "selection_order")).containsExactly(expectedOrder);
            long[] sorted = expectedOrder.clone();
            Arrays.sort(sorted);
            assertThat(longs(out, "kept_indices")).containsExactly(sorted);
            assertThat(longs(out, "selection_order")[0]).isEqualTo(63); // the CLS pivot of the manifest
        }
    }

    @Test
    void tomeMatchesTheReferenceMerge() {
        Path in = SharedFixtures.fixture("tome/merge_r4.safetensors");
        Path out = dir.resolve("tome.safetensors");
        Cli r = Cli.run("apply", "tome", "--input", in.toString(), "--output", out.toString(), "--param", "r=4",
                "--param", "class-token=true");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Tolerance.assertClose(floats(out, "merged"), floats(in, "merged"), 1e-5, "merged");
        Tolerance.assertClose(floats(out, "size"), floats(in, "size"), 1e-5, "size");
        assertThat(shape(out, "merged")).containsExactly(2, 13, 12);
    }

    @Test
    void tomeRejectsMoreMergesThanTheTokensAllow() {
        // merge_r4 holds 17 tokens with a protected CLS: at most (17 - 1) / 2 = 8 merges
        Path in = SharedFixtures.fixture("tome/merge_r4.safetensors");
        Path out = dir.resolve("tome-too-many.safetensors");
        Cli r = Cli.run("apply", "tome", "--input", in.toString(), "--output", out.toString(), "--param", "r=9");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("'r'").contains("9 exceeds the 8 merges 17 tokens allow");
        assertThat(out).doesNotExist();
        Cli atTheLimit = Cli.run("apply", "tome", "--input", in.toString(), "--output", out.toString(), "--param",
                "r=8");
        assertThat(atTheLimit.exitCode()).as(atTheLimit.toString()).isZero();
        assertThat(shape(out, "merged")).containsExactly(2, 9, 12);
    }

    @Test
    void anyOtherRegisteredOperatorRunsOnTokens() {
        // pool: the visual tokens of a 1 + 8x8 sequence averaged to 4x4 (2x2 blocks)
        float[] tokens = new float[65 * 2];
        for (int i = 0; i < 65; i++) {
            tokens[2 * i] = i;
            tokens[2 * i + 1] = -i;
        }
        Path in = dir.resolve("tokens.safetensors");
        SafetensorsWriter.writeFloats(in, "tokens", tokens, 1, 65, 2);
        Path out = dir.resolve("pooled.safetensors");
        Cli r = Cli.run("apply", "pool", "--input", in.toString(), "--output", out.toString(), "--param", "prefix=1",
                "--param", "clusters=4x4");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(shape(out, "tokens")).containsExactly(1, 17, 2);
        float[] pooled = floats(out, "tokens");
        assertThat(pooled[0]).isEqualTo(0f); // the prefix token passes through
        // first pooled cell: visual tokens 0, 1, 8, 9 -> sequence values 1, 2, 9, 10
        assertThat(pooled[2]).isEqualTo((1 + 2 + 9 + 10) / 4f);
        assertThat(shape(out, "restored")).containsExactly(1, 64, 2);
    }

    @Test
    void unknownOpListsTheKnownOnes() {
        Cli r = Cli.run("apply", "expedit-clusterr", "--input", "nowhere.safetensors", "--output", "x.safetensors");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("unknown op 'expedit-clusterr'").contains("expedit-cluster")
                .contains("todre-diversity").contains("tome").doesNotContain("\tat ");
    }

    @Test
    void missingInputFileOrTensorIsAnInputError() throws Exception {
        Cli noFile = Cli.run("apply", "tome", "--input", dir.resolve("missing.safetensors").toString(), "--output",
                dir.resolve("o.safetensors").toString(), "-p", "r=2");
        assertThat(noFile.exitCode()).as(noFile.toString()).isEqualTo(2);
        assertThat(noFile.err()).contains("missing.safetensors").contains("no such file").doesNotContain("\tat ");

        Path in = dir.resolve("foo.safetensors");
        SafetensorsWriter.writeFloats(in, "foo", new float[] {1, 2}, 1, 2);
        Path out = dir.resolve("o.safetensors");
        Cli noTensor = Cli.run("apply", "expedit-cluster", "--input", in.toString(), "--output", out.toString(),
                "-p", "clusters=2x2", "-p", "temperature=0.1");
        assertThat(noTensor.exitCode()).as(noTensor.toString()).isEqualTo(2);
        assertThat(noTensor.err()).contains("input tensor 'tokens' not found").contains("(it has: foo)");
        assertThat(Files.exists(out)).isFalse();

        Cli missingOption = Cli.run("apply", "tome", "--input", in.toString());
        assertThat(missingOption.exitCode()).isEqualTo(2);
        assertThat(missingOption.err()).contains("Missing required option").contains("--output");
    }

    @Test
    void badParametersNameTheField() {
        String in = expedit().toString();
        String out = dir.resolve("o.safetensors").toString();
        Cli negative = Cli.run("apply", "expedit-cluster", "--input", in, "--output", out, "-p", "clusters=4x4",
                "-p", "temperature=-1");
        assertThat(negative.exitCode()).as(negative.toString()).isEqualTo(2);
        assertThat(negative.err()).contains("apply expedit-cluster, field 'temperature'").doesNotContain("\tat ");

        Cli evenWindow = Cli.run("apply", "expedit-cluster", "--input", in, "--output", out, "-p", "clusters=4x4",
                "-p", "window=4", "-p", T);
        assertThat(evenWindow.exitCode()).isEqualTo(2);
        assertThat(evenWindow.err()).contains("field 'window'").contains("odd");

        Cli unknown = Cli.run("apply", "expedit-reconstruct", "--input", in, "--output", out, "-p", "k=3", "-p", T,
                "-p", "bogus=1");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown parameter 'bogus'");

        Cli malformed = Cli.run("apply", "tome", "--input", in, "--output", out, "-p", "r4");
        assertThat(malformed.exitCode()).isEqualTo(2);
        assertThat(malformed.err()).contains("'r4' is not of the form key=value");

        Cli tooMany = Cli.run("apply", "expedit-reconstruct", "--input", in, "--output", out, "-p", "k=17", "-p", T);
        assertThat(tooMany.exitCode()).isEqualTo(2);
        assertThat(tooMany.err()).contains("field 'k'").contains("16 clusters");

        Cli badGrid = Cli.run("apply", "expedit-cluster", "--input", in, "--output", out, "-p", "grid=4x8",
                "-p", "clusters=2x2", "-p", T);
        assertThat(badGrid.exitCode()).isEqualTo(2);
        assertThat(badGrid.err()).contains("field 'grid'").contains("64 tokens");

        Cli keep = Cli.run("apply", "todre-diversity", "--input",
                SharedFixtures.fixture("todre/n64_d16_k8.safetensors").toString(), "--output", out, "-p", "keep=65");
        assertThat(keep.exitCode()).isEqualTo(2);
        assertThat(keep.err()).contains("field 'keep'").contains("only 64 are present");
    }

    @Test
    void debugShowsTheStackTraceOfAnInputError() {
        Cli r = Cli.run("apply", "tome", "--debug", "--input", dir.resolve("missing.safetensors").toString(),
                "--output", dir.resolve("o.safetensors").toString(), "-p", "r=2");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("no such file").contains("\tat dev.tokenreduce");
    }
}
