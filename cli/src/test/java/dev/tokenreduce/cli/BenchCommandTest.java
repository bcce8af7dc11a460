package dev.tokenreduce.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenreduce.core.safetensors.SafetensorsWriter;
import dev.tokenreduce.eval.bench.BuiltinPolicies;
import dev.tokenreduce.core.testing.SharedFixtures;
import dev.tokenreduce.datasets.readers.Datasets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCommandTest {

    @TempDir
    Path dir;

    private void assertUsageError(Cli r, String... fragments) {
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains(fragments).doesNotContain("\tat ");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void badOptionValuesExitTwoWithAClearMessage() {
        assertUsageError(Cli.run("bench", "--model", dir.resolve("nope").toString()), "--model", "nope",
                "does not exist");
        assertUsageError(Cli.run("bench", "--dataset", "no-colon-here"), "--dataset", "TYPE:PATH");
        assertUsageError(Cli.run("bench", "--dataset", "imagenet:/x"), "imagenet");
        assertUsageError(Cli.run("bench", "--policy", dir.resolve("missing.yaml").toString()), "--policy",
                "missing.yaml");
        assertUsageError(Cli.run("bench", "--batch-size", "0"), "--batch-size", "at least 1");
        assertUsageError(Cli.run("bench", "--repeats", "0"), "--repeats");
        assertUsageError(Cli.run("bench", "--warmup", "-1"), "--warmup");
        assertUsageError(Cli.run("bench", "--limit", "-3"), "--limit");
        assertUsageError(Cli.run("bench", "--image-size", "0"), "--image-size");
        assertUsageError(Cli.run("bench", "--threads", "0"), "--threads");
        assertUsageError(Cli.run("bench", "--device", "tpu"), "--device");
        assertUsageError(Cli.run("bench", "--batch-size", "two"), "--batch-size", "two");
    }

    @Test
    void everySubcommandPrintsItsHelp() {
        for (String command : List.of("bench", "apply", "features", "inspect", "generate", "visualize")) {
            Cli r = Cli.run(command, "--help");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.out()).as(command).contains("Usage: tokenreduce " + command).contains("--help");
        }
        assertThat(Cli.run("bench", "--help").out()).contains("--batch-size", "--dataset", "--policy", "--output");
    }

    @Test
    void aMalformedPolicyFileNamesTheFile() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "steps:\n  - op: no-such-operator\n    at: output\n");
        assertUsageError(Cli.run("bench", "--policy", bad.toString()), "bad.yaml", "no-such-operator");
    }

    /** The fixture ViT (64×64, patch 8, depth 4, C 64) plus a random linear head for {@code classes} classes. */
    private Path tinyModel(int classes) throws Exception {
        Path vit = SharedFixtures.fixture("vit/vit_plain/timm");
        Path m = Files.createDirectories(dir.resolve("model"));
        Files.copy(vit.resolve("config.json"), m.resolve("config.json"));
        Files.copy(vit.resolve("model.safetensors"), m.resolve("model.safetensors"));
        java.util.Random r = new java.util.Random(3);
        float[] w = new float[classes * 64];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian();
        }
        try (NDManager nd = NDManager.newBaseManager()) {
            SafetensorsWriter.write(m.resolve("head.safetensors"), Map.of("head.weight",
                    nd.create(w, new Shape(classes, 64)), "head.bias", nd.zeros(new Shape(classes))), Map.of());
        }
        return m;
    }

    @Test
    void endToEndOnATinyModelWithPolicyFilesWritesTheReportAndPrintsTheTable() throws Exception {
        int classes = Datasets.openSegmentation("generated:count=2,size=48", "validation").numClasses();
        Path model = tinyModel(classes);
        Path pool = dir.resolve("pool.yaml");
        Files.writeString(pool, "name: pool-4x4\nsteps:\n  - {op: pool, at: {block: 2}, params: {clusters: 4x4}}\n");
        Path tome = dir.resolve("tome.yaml");
        Files.writeString(tome, "name: tome-r8\nsteps:\n  - {op: tome, at: blocks, params: {r: 8}}\n");
        Path out = dir.resolve("report");
        Cli r = Cli.run("bench", "--model", model.toString(), "--dataset", "generated:count=2,size=48", "--policy",
                pool.toString(), "--policy", tome.toString(), "--limit", "2", "--repeats", "1", "--warmup", "1",
                "--seed", "9", "--output", out.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("policy", "tokens", "GFLOPs", "median ms", "speed-up", "mIoU", "ΔmIoU",
                "pix.agree", "baseline", "pool-4x4", "tome-r8", "65×2 → 17×2", "report: ");
        assertThat(r.err()).contains("smoke test");
        assertThat(Files.readAllLines(out.resolve("results.csv"))).hasSize(4);
        JsonNode json = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertThat(json.path("run").path("seed").asLong()).isEqualTo(9);
        assertThat(json.path("run").path("config").path("dataset").asText()).isEqualTo("generated:count=2,size=48");
        assertThat(json.path("run").path("config").path("modelIsEmbeddedDefault").asBoolean()).isFalse();
        assertThat(out.resolve("report.md")).exists();
        assertThat(out.resolve("charts").resolve("token_schedule.png")).exists();
    }

    @Test
    void anEarlierReportIsKeptUnlessOverwriteIsGiven() throws Exception {
        Path out = dir.resolve("kept-report");
        Files.createDirectories(out);
        Files.writeString(out.resolve("report.md"), "an earlier run\n");
        Cli refused = Cli.run("bench", "--limit", "1", "--repeats", "1", "--warmup", "1", "--output", out.toString());
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
        assertThat(refused.err()).contains("already holds a report (report.md)", "--overwrite");
        assertThat(Files.readString(out.resolve("report.md"))).isEqualTo("an earlier run\n");
        assertThat(out.resolve("results.json")).doesNotExist();

        Cli replaced = Cli.run("bench", "--limit", "1", "--repeats", "1", "--warmup", "1", "--output", out.toString(),
                "--overwrite");
        assertThat(replaced.exitCode()).as(replaced.toString()).isZero();
        assertThat(replaced.err()).contains("replacing the earlier report");
        assertThat(Files.readString(out.resolve("report.md"))).startsWith("# tokenreduce dense benchmark");
    }

    @Test
    void theDefaultFolderMovesOnToTheFirstFreeNumberedOne() throws Exception {
        Path def = dir.resolve("tokenreduce-report");
        assertThat(ReportFolder.choose(def, false, false).folder()).isEqualTo(def);
        Files.createDirectories(def);
        Files.writeString(def.resolve("results.json"), "{}");
        Files.createDirectories(dir.resolve("tokenreduce-report-2"));
        ReportFolder.Choice next = ReportFolder.choose(def, false, false);
        assertThat(next.folder()).isEqualTo(dir.resolve("tokenreduce-report-3"));
        assertThat(next.note()).contains("holds an earlier report", "tokenreduce-report-3");
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        assertThatThrownBy(() -> ReportFolder.choose(file, true, false)).hasMessageContaining("is not a folder");
    }

    @Test
    void defaultRunOnTheEmbeddedModelWritesTheReportAndPrintsTheTable() throws Exception {
        Path out = dir.resolve("report");
        Cli r = Cli.run("bench", "--limit", "2", "--repeats", "1", "--warmup", "1", "--output", out.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("policy", "GFLOPs", "median ms", "speed-up", "mIoU", "ΔmIoU", "pix.agree",
                "baseline", "report: ");
        for (String name : BuiltinPolicies.load().stream().map(p -> p.name()).toList()) {
            assertThat(r.out()).contains(name);
        }
        assertThat(r.err()).contains("smoke test");
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertThat(csv).hasSize(2 + BuiltinPolicies.names().size());
        JsonNode json = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertThat(json.path("run").path("config").path("modelIsEmbeddedDefault").asBoolean()).isTrue();
        assertThat(json.path("run").path("config").path("images").asInt()).isEqualTo(2);
        assertThat(json.path("results").get(0).path("metrics").path("mIoU").asDouble()).isGreaterThan(0);
        assertThat(out.resolve("report.md")).exists();
        assertThat(out.resolve("images")).isDirectoryContaining("glob:**sample0_*.png");
    }
}
