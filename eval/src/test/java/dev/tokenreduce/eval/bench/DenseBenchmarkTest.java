package dev.tokenreduce.eval.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.policy.Policy;
import dev.tokenreduce.core.policy.PolicyLoader;
import dev.tokenreduce.datasets.readers.Datasets;
import dev.tokenreduce.datasets.readers.SegmentationDataset;
import dev.tokenreduce.eval.report.BenchmarkResult;
import dev.tokenreduce.eval.report.ReportWriter;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DenseBenchmarkTest {

    @TempDir
    Path dir;

    private static Policy policy(String yaml, String name) {
        return PolicyLoader.withDefaults().parse(yaml, false, name + ".yaml", name, null);
    }

    static final String EXPEDIT = String.join("\n",
            "name: expedit-4x4",
            "steps:",
            "  - {op: expedit-cluster, at: {block: 2}, params: {clusters: 4x4, iterations: 3, window: 3,"
                    + " temperature: 0.5}}",
            "  - {op: expedit-reconstruct, at: output, params: {k: 4, temperature: 0.5}}", "");
    static final String RANDOM = "name: random-32\nsteps:\n  - {op: random, at: {block: 1}, params: {keep: 32,"
            + " seed: 3}}\n";

    @Test
    void writesACompleteReportForTwoPoliciesOnTwoImages() throws Exception {
        SegmentationDataset data = Datasets.openSegmentation("generated:count=2,size=48,seed=5", "validation");
        Path model = TinySegModels.write(dir.resolve("model"), data.numClasses(), 1);
        Path out = dir.resolve("report");
        DenseBenchmark.Outcome o;
        try (EncoderHeadPredictor p = EncoderHeadPredictor.load(model, Device.cpu())) {
            o = DenseBenchmark.builder().setPredictor(p).setDataset(data)
                    .addPolicy(policy(EXPEDIT, "expedit")).addPolicy(policy(RANDOM, "random"))
                    .setOutput(out).optWarmup(1).optRepeats(2).optAllowShortRuns(true).optSeed(7)
                    .optConfig(java.util.Map.of("command", "test")).build().run();
        }
        List<BenchmarkResult> results = o.results();
        assertThat(results).extracting(BenchmarkResult::name).containsExactly("baseline", "expedit-4x4",
                "random-32");
        BenchmarkResult base = results.get(0);
        assertThat(base.fidelity().get("pixel_agreement")).isEqualTo(100.0);
        assertThat(base.metric("mIoU")).isBetween(0.0, 100.0);
        // 64 patches + CLS for 4 blocks; Expedit: 2 blocks at 65, 2 at 17 tokens
        assertThat(base.schedule().compact()).isEqualTo("65×4");
        assertThat(results.get(1).schedule().compact()).isEqualTo("65×2 → 17×2");
        assertThat(results.get(2).schedule().compact()).isEqualTo("65×1 → 33×3");
        assertThat(results.get(1).gflops()).isLessThan(base.gflops());
        assertThat(results.get(2).gflops()).isLessThan(base.gflops());
        for (BenchmarkResult r : results.subList(1, 3)) {
            assertThat(r.fidelity().get("pixel_agreement")).isBetween(0.0, 100.0);
            assertThat(r.fidelity().get("token_cosine")).isBetween(-1.0, 1.0);
            assertThat(r.latency().count()).isEqualTo(2);
            assertThat(r.records()).isNotEmpty();
        }
        assertThat(results.get(1).fidelity().get("token_cosine")).isLessThan(1.0);

        assertThat(out.resolve("report.md")).exists();
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertThat(csv).hasSize(1 + 3);
        assertThat(csv.get(1)).startsWith("baseline");
        JsonNode json = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertThat(json.path("run").path("seed").asLong()).isEqualTo(7);
        assertThat(json.path("run").path("config").path("command").asText()).isEqualTo("test");
        assertThat(json.path("run").path("config").path("policies")).hasSize(2);
        assertThat(json.path("run").path("config").path("images").asInt()).isEqualTo(2);
        assertThat(json.path("run").path("versions").size()).isPositive();
        assertThat(json.path("results")).hasSize(3);
        for (String chart : new String[] {ReportWriter.CHART_METRIC_VS_GFLOPS, ReportWriter.CHART_METRIC_VS_LATENCY,
                ReportWriter.CHART_TOKEN_SCHEDULE}) {
            BufferedImage img = ImageIO.read(out.resolve("charts").resolve(chart).toFile());
            assertThat(img).as(chart).isNotNull();
            assertThat(img.getWidth()).isPositive();
        }
        // a cluster map and a kept-token picture for each of the 2 samples
        assertThat(o.files().images()).hasSize(4);
        for (Path p : o.files().images()) {
            assertThat(ImageIO.read(p.toFile())).as(p.toString()).isNotNull();
        }
        assertThat(Files.readString(out.resolve("report.md"))).contains("expedit-4x4").contains("random-32")
                .contains("Timing: batch 1 (latency is per forward of one batch)");
    }

    @Test
    void rejectsAModelWhoseClassesDifferFromTheDataset() {
        SegmentationDataset data = Datasets.openSegmentation("generated:count=1,size=48", "validation");
        Path model = TinySegModels.write(dir.resolve("m"), data.numClasses() + 1, 1);
        try (EncoderHeadPredictor p = EncoderHeadPredictor.load(model, Device.cpu())) {
            assertThatThrownBy(() -> DenseBenchmark.builder().setPredictor(p).setDataset(data)
                    .addPolicy(policy(RANDOM, "r")).setOutput(dir.resolve("o")).build())
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("classes");
        }
    }
}
