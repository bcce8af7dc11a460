package dev.tokenreduce.eval.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenreduce.core.GridSize;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.op.ReductionRecord;
import dev.tokenreduce.eval.flops.ReducerFlops;
import dev.tokenreduce.eval.flops.TokenSchedule;
import dev.tokenreduce.eval.flops.VitFlops;
import dev.tokenreduce.eval.flops.VitShape;
import dev.tokenreduce.eval.harness.LatencyStats;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {

    @TempDir
    Path dir;

    private static List<BenchmarkResult> results() {
        VitShape shape = VitShape.vitLarge16(GridSize.square(40));
        BenchmarkResult baseline = BenchmarkResult.builder().setName("baseline")
                .optFlops(VitFlops.baseline(shape))
                .optLatency(LatencyStats.ofMillis(new double[] {100, 110, 120, 130, 140, 150, 160, 170, 180, 190}))
                .addMetric("mIoU", 0.5120).addMetric("pixel accuracy", 0.8)
                .build();
        BenchmarkResult expedit = BenchmarkResult.builder().setName("expedit, 28x28")
                .optFlops(VitFlops.encoder(shape, TokenSchedule.reducedAfter(24, 1601, 10, 785))
                        .plus("reducer:expedit-cluster", ReducerFlops.expeditClustering(1600, 784, 1024, 5, 5)))
                .optLatency(LatencyStats.ofMillis(new double[] {70, 75, 80, 85, 90, 95, 100, 105, 110, 115}))
                .addMetric("mIoU", 0.5080).addMetric("pixel accuracy", 0.79)
                .addFidelity("cosine", 0.9981).addFidelity("pixel agreement", 0.97)
                .addRecords(List.of(new ReductionRecord("expedit-cluster", "block 10", 1600, 784, 2_000_000,
                        Map.of("iterations", 5, "labels", new int[] {0, 1, 2}))))
                .addDetail("reducerMs", 2.0)
                .build();
        BenchmarkResult tome = BenchmarkResult.builder().setName("tome")
                .optSchedule(TokenSchedule.of(new int[] {1601, 1593}, new int[] {1593, 1585}, 1585))
                .optGflops(900.5)
                .addMetric("mIoU", 0.49)
                .addRecords(List.of(new ReductionRecord("tome", "blocks", 1600, 1600, 1_000, Map.of())))
                .build();
        return List.of(baseline, expedit, tome);
    }

    private static byte[] gradient(int w, int h) {
        byte[] rgb = new byte[w * h * 3];
        for (int i = 0; i < w * h; i++) {
            rgb[3 * i] = (byte) (i % 256);
            rgb[3 * i + 1] = (byte) 128;
            rgb[3 * i + 2] = (byte) 255;
        }
        return rgb;
    }

    @Test
    void writesEveryFileAndTheyParse() throws Exception {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("model", "models/vit-large");
        config.put("repeats", 10);
        config.put("policies", List.of("expedit.yaml", "tome.yaml"));
        RunInfo run = RunInfo.capture(config, 42);
        int[] labels = new int[16];
        for (int i = 0; i < 16; i++) {
            labels[i] = (i / 8) * 2 + (i % 4) / 2;
        }
        BufferedImage map = TokenMapImages.clusterMap(labels, GridSize.square(4), gradient(64, 48), 64, 48, 0.5f);
        ReportFiles files = ReportWriter.builder().setDirectory(dir.resolve("run-1")).setRunInfo(run)
                .addResults(results()).optPrimaryMetric("mIoU").addImage("sample0_clusters.png", map)
                .build().write();

        for (Path p : List.of(files.markdown(), files.csv(), files.json())) {
            assertThat(p).exists().isNotEmptyFile();
        }
        assertThat(files.charts()).extracting(p -> p.getFileName().toString()).containsExactly(
                ReportWriter.CHART_METRIC_VS_GFLOPS, ReportWriter.CHART_METRIC_VS_LATENCY,
                ReportWriter.CHART_TOKEN_SCHEDULE);
        for (Path chart : files.charts()) {
            BufferedImage img = ImageIO.read(chart.toFile());
            assertThat(img).as(chart.toString()).isNotNull();
            assertThat(img.getWidth()).isEqualTo(Charts.WIDTH);
            assertThat(img.getHeight()).isEqualTo(Charts.HEIGHT);
        }
        BufferedImage sample = ImageIO.read(files.images().get(0).toFile());
        assertThat(sample.getWidth()).isEqualTo(64);
        assertThat(sample.getHeight()).isEqualTo(48);

        // CSV
        List<List<String>> csv = parseCsv(Files.readString(files.csv(), StandardCharsets.UTF_8));
        assertThat(csv).hasSize(4);
        assertThat(csv.get(0)).containsExactly("policy", "tokens_per_stage", "gflops", "latency_median_ms",
                "latency_p90_ms", "latency_mean_ms", "speedup", "metric:mIoU", "metric:pixel accuracy", "delta:mIoU",
                "fidelity:cosine", "fidelity:pixel agreement");
        List<String> exp = csv.get(2);
        assertThat(exp.get(0)).isEqualTo("expedit, 28x28");
        assertThat(exp.get(1)).isEqualTo("1601×10 → 785×14");
        assertThat(Double.parseDouble(exp.get(3))).isCloseTo(92.5, within(1e-9));
        assertThat(Double.parseDouble(exp.get(6))).isCloseTo(145.0 / 92.5, within(1e-9));
        assertThat(Double.parseDouble(exp.get(9))).isCloseTo(0.508 - 0.512, within(1e-12));
        assertThat(csv.get(3).get(3)).isEmpty(); // tome was not timed
        assertThat(csv.get(3).get(10)).isEmpty();

        // JSON
        JsonNode json = new ObjectMapper().readTree(files.json().toFile());
        assertThat(json.path("format").asText()).isEqualTo("tokenreduce-results/1");
        JsonNode runNode = json.path("run");
        assertThat(runNode.path("seed").asLong()).isEqualTo(42);
        assertThat(runNode.path("config").path("model").asText()).isEqualTo("models/vit-large");
        assertThat(runNode.path("config").path("policies")).hasSize(2);
        assertThat(runNode.path("versions").path("java").asText()).isEqualTo(System.getProperty("java.version"));
        assertThat(runNode.path("versions").path("djl").asText()).isEqualTo("0.36.0");
        assertThat(runNode.path("versions").path("pytorch").asText()).isEqualTo("2.7.1");
        assertThat(runNode.path("versions").path("tokenreduce").asText()).isNotEqualTo("unknown");
        assertThat(runNode.path("machine").path("cores").asInt()).isPositive();
        assertThat(runNode.path("machine").has("cpuModel")).isTrue();
        assertThat(json.path("baseline").asText()).isEqualTo("baseline");
        assertThat(json.path("primaryMetric").asText()).isEqualTo("mIoU");
        JsonNode res = json.path("results");
        assertThat(res).hasSize(3);
        assertThat(res.get(1).path("schedule").path("attention")).hasSize(24);
        assertThat(res.get(1).path("speedup").asDouble()).isCloseTo(145.0 / 92.5, within(1e-9));
        assertThat(res.get(1).path("records").get(0).path("details").path("labels")).hasSize(3);
        assertThat(res.get(1).path("details").path("flops").has("reducer:expedit-cluster")).isTrue();
        assertThat(res.get(2).path("latency").isNull()).isTrue();
        assertThat(res.get(2).path("speedup").isNull()).isTrue();
        assertThat(res.get(2).path("schedule").path("mlp").get(1).asInt()).isEqualTo(1585);

        // Markdown
        String md = Files.readString(files.markdown(), StandardCharsets.UTF_8);
        assertThat(md).contains("| policy | tokens per stage | GFLOPs | latency median (ms) | latency p90 (ms) |"
                + " speed-up | mIoU | Δ mIoU | fidelity |");
        assertThat(md).contains("| expedit, 28x28 | 1601×10 → 785×14 |").contains("| 1.57× | 0.5080 | -0.0040 |")
                .contains("cosine 0.9981, pixel agreement 0.9700");
        assertThat(md).contains("![token_schedule.png](charts/token_schedule.png)")
                .contains("![sample0_clusters.png](images/sample0_clusters.png)");
        assertThat(md).contains("## Token schedule per layer").contains("| 0 | 1601 | 1601 | 1601/1593 |")
                .contains("| output | 1601 | 785 | 1585 |");
        assertThat(md).contains("| tome | tome @ blocks | 1 | 1600 → 1600 | 0.001 | **no** |");

        // the run can be repeated from results.json
        RunInfo back = RunInfo.read(files.json());
        assertThat(back.seed()).isEqualTo(42);
        assertThat(back.config()).containsEntry("model", "models/vit-large").containsEntry("repeats", 10);
        assertThat(back.versions()).isEqualTo(run.versions());
    }

    @Test
    void chartsWithoutDataAreLeftOut() {
        BenchmarkResult a = BenchmarkResult.builder().setName("a").build();
        ReportFiles files = ReportWriter.builder().setDirectory(dir).setRunInfo(RunInfo.capture(Map.of(), 1))
                .addResult(a).build().write();
        assertThat(files.charts()).isEmpty();
        assertThat(files.markdown()).exists();
        assertThat(files.csv()).content().startsWith("policy,");
    }

    @Test
    void builderValidation() {
        RunInfo run = RunInfo.capture(Map.of(), 1);
        BenchmarkResult a = BenchmarkResult.builder().setName("a").build();
        assertThatThrownBy(() -> ReportWriter.builder().setRunInfo(run).addResult(a).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("directory");
        assertThatThrownBy(() -> ReportWriter.builder().setDirectory(dir).setRunInfo(run).build())
                .hasMessageContaining("at least one result");
        assertThatThrownBy(() -> ReportWriter.builder().setDirectory(dir).setRunInfo(run).addResult(a).addResult(a)
                .build()).hasMessageContaining("two results are named 'a'");
        assertThatThrownBy(() -> ReportWriter.builder().setDirectory(dir).setRunInfo(run).addResult(a)
                .optBaseline("zz").build()).hasMessageContaining("baseline 'zz'");
        assertThatThrownBy(() -> ReportWriter.builder().addImage("../x.png", null)).hasMessageContaining(".png");
        assertThatThrownBy(() -> RunInfo.read(dir.resolve("missing.json"))).isInstanceOf(InvalidInputException.class);
    }

    /** RFC 4180 reader, enough for the report's CSV. */
    static List<List<String>> parseCsv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(cell.toString());
                cell.setLength(0);
            } else if (c == '\n') {
                row.add(cell.toString());
                cell.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else if (c != '\r') {
                cell.append(c);
            }
        }
        return rows;
    }
}
