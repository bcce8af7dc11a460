package dev.tokenreduce.eval.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.policy.PolicyLoader;
import dev.tokenreduce.datasets.readers.Datasets;
import dev.tokenreduce.datasets.readers.DepthDataset;
import dev.tokenreduce.datasets.readers.Task;
import dev.tokenreduce.eval.report.BenchmarkResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dense benchmark on a depth model: depth metrics, their change vs the baseline, fidelity and the report. */
class DepthBenchmarkTest {

    @TempDir
    Path dir;

    @Test
    void benchmarksADepthModelOnGeneratedScenes() throws Exception {
        DepthDataset data = Datasets.openDepth("generated:count=2,size=48,seed=3", "validation");
        Path model = TinySegModels.writeDepth(dir.resolve("model"), "sigmoid", 2);
        Path out = dir.resolve("report");
        DenseBenchmark.Outcome o;
        try (EncoderHeadPredictor p = EncoderHeadPredictor.load(model, Device.cpu())) {
            assertThat(p.task()).isEqualTo(Task.DEPTH);
            o = DenseBenchmark.builder().setPredictor(p).setDataset(data)
                    .addPolicy(PolicyLoader.withDefaults().parse(DenseBenchmarkTest.EXPEDIT, false, "e.yaml", "e",
                            null))
                    .setOutput(out).optWarmup(1).optRepeats(1).optAllowShortRuns(true).build().run();
        }
        List<BenchmarkResult> results = o.results();
        assertThat(results).extracting(BenchmarkResult::name).containsExactly("baseline", "expedit-4x4");
        BenchmarkResult base = results.get(0);
        BenchmarkResult expedit = results.get(1);
        assertThat(base.metrics().keySet()).startsWith("AbsRel", "RMSE", "δ1", "ΔRMSE", "Δδ1");
        assertThat(base.metric("AbsRel")).isPositive();
        assertThat(base.metric("RMSE")).isPositive();
        assertThat(base.metric("δ1")).isBetween(0.0, 1.0);
        assertThat(base.metric("ΔRMSE")).isZero();
        assertThat(base.fidelity()).containsEntry("depth_rel_diff", 0.0).doesNotContainKey("pixel_agreement");
        assertThat(expedit.metric("ΔRMSE")).isEqualTo(expedit.metric("RMSE") - base.metric("RMSE"));
        assertThat(expedit.fidelity().get("depth_rel_diff")).isGreaterThan(0.0).isLessThan(1.0);
        assertThat(expedit.schedule().compact()).isEqualTo("65×2 → 17×2");
        assertThat(expedit.gflops()).isLessThan(base.gflops());

        assertThat(Files.readString(out.resolve("report.md"))).contains("| AbsRel | Δ AbsRel |", "## All metrics",
                "RMSE", "δ1");
        String header = Files.readAllLines(out.resolve("results.csv")).get(0);
        assertThat(header).contains("metric:AbsRel", "metric:RMSE", "metric:δ1", "delta:AbsRel",
                "fidelity:depth_rel_diff").doesNotContain("mIoU");
        JsonNode json = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertThat(json.path("primaryMetric").asText()).isEqualTo("AbsRel");
        JsonNode info = json.path("run").path("config").path("datasetInfo");
        assertThat(info.path("task").asText()).isEqualTo("depth");
        assertThat(info.path("maxDepth").asDouble()).isEqualTo(20.0);
        assertThat(json.path("run").path("config").path("modelInfo").path("head").asText())
                .isEqualTo("linear-depth");
        assertThat(o.files().charts()).isNotEmpty();
    }

    @Test
    void aTaskMismatchIsAClearError() {
        Path model = TinySegModels.writeDepth(dir.resolve("model"), "relu", 1);
        try (EncoderHeadPredictor p = EncoderHeadPredictor.load(model, Device.cpu())) {
            assertThatThrownBy(() -> DenseBenchmark.builder().setPredictor(p)
                    .setDataset(Datasets.openSegmentation("generated:count=1,size=32", "validation"))
                    .addPolicies(BuiltinPolicies.load()).setOutput(dir.resolve("o")).build())
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("predicts depth").hasMessageContaining("segmentation dataset");
        }
        Path seg = TinySegModels.write(dir.resolve("seg"), 6, 1);
        try (EncoderHeadPredictor p = EncoderHeadPredictor.load(seg, Device.cpu())) {
            assertThatThrownBy(() -> DenseBenchmark.builder().setPredictor(p)
                    .setDataset(Datasets.openDepth("generated:count=1,size=32", "validation"))
                    .addPolicies(BuiltinPolicies.load()).setOutput(dir.resolve("o2")).build())
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("predicts segmentation").hasMessageContaining("depth dataset");
        }
    }
}
