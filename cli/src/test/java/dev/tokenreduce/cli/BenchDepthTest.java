package dev.tokenreduce.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenreduce.core.safetensors.SafetensorsWriter;
import dev.tokenreduce.core.testing.SharedFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tokenreduce bench} with a depth model: the depth table and report, and task mismatches. */
class BenchDepthTest {

    @TempDir
    Path dir;

    /** The fixture ViT (64×64, patch 8, C 64) with a random (1, 64) depth head, exp activation. */
    private Path depthModel() throws IOException {
        Path vit = SharedFixtures.fixture("vit/vit_plain/timm");
        Path model = dir.resolve("depth-model");
        Files.createDirectories(model);
        String config = Files.readString(vit.resolve("config.json")).trim();
        Files.writeString(model.resolve("config.json"), config.substring(0, config.lastIndexOf('}'))
                + ", \"head\": {\"task\": \"depth\", \"activation\": \"exp\"}}");
        Files.copy(vit.resolve("model.safetensors"), model.resolve("model.safetensors"));
        Random r = new Random(5);
        float[] w = new float[64];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (r.nextGaussian() * 0.05);
        }
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> t = new LinkedHashMap<>();
            t.put("head.weight", m.create(w, new Shape(1, 64)));
            t.put("head.bias", m.create(new float[] {1.2f}, new Shape(1)));
            SafetensorsWriter.write(model.resolve("head.safetensors"), t, Map.of("format", "pt"));
        }
        return model;
    }

    private static void assertUsageError(Cli r, String... fragments) {
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains(fragments).doesNotContain("\tat ");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void benchesADepthModelOnGeneratedDepthScenes() throws Exception {
        Path model = depthModel();
        Path policy = dir.resolve("pool.yaml");
        Files.writeString(policy, "name: pool-4x4\nsteps:\n  - {op: pool, at: {block: 2}, params: {clusters: 4x4}}\n");
        Path out = dir.resolve("report");
        Cli r = Cli.run("bench", "--model", model.toString(), "--dataset", "generated:count=2,size=48", "--policy",
                policy.toString(), "--max-depth", "15", "--repeats", "1", "--warmup", "0", "--output", out.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).contains("policy", "tokens", "GFLOPs", "AbsRel", "ΔAbsRel", "RMSE", "ΔRMSE", "δ1",
                "Δδ1", "depth.diff").doesNotContain("mIoU");
        assertThat(lines.get(1)).startsWith("baseline").contains("+0.0000", "0.00%");
        assertThat(lines.get(2)).startsWith("pool-4x4");
        assertThat(r.out()).contains("2 images", "report: ");
        assertThat(out.resolve("report.md")).content().contains("| AbsRel | Δ AbsRel |", "δ1");
        assertThat(Files.readAllLines(out.resolve("results.csv")).get(0)).contains("metric:AbsRel", "metric:RMSE",
                "delta:AbsRel", "fidelity:depth_rel_diff");
        JsonNode json = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertThat(json.path("primaryMetric").asText()).isEqualTo("AbsRel");
        assertThat(json.path("run").path("config").path("maxDepth").asDouble()).isEqualTo(15.0);
        assertThat(json.path("run").path("config").path("datasetInfo").path("maxDepth").asDouble()).isEqualTo(15.0);
        assertThat(out.resolve("charts").resolve("metric_vs_gflops.png")).exists();
    }

    @Test
    void aModelAndDatasetOfDifferentTasksExitTwo() throws Exception {
        Path model = depthModel();
        Path ade = Files.createDirectories(dir.resolve("ade"));
        assertUsageError(Cli.run("bench", "--model", model.toString(), "--dataset", "ade20k:" + ade,
                "--output", dir.resolve("o1").toString()), "predicts depth", "segmentation dataset", "nyu");
        assertUsageError(Cli.run("bench", "--model", model.toString(), "--output", dir.resolve("o2").toString()),
                "predicts depth", "--dataset");
        Path nyu = Files.createDirectories(dir.resolve("nyu"));
        assertUsageError(Cli.run("bench", "--dataset", "nyu:" + nyu, "--output", dir.resolve("o3").toString()),
                "predicts segmentation", "depth dataset");
        assertUsageError(Cli.run("bench", "--max-depth", "10", "--output", dir.resolve("o4").toString()),
                "--max-depth", "depth models only");
    }
}
