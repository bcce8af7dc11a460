package dev.tokenreduce.eval.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenreduce.core.GridSize;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.policy.Policy;
import dev.tokenreduce.datasets.readers.Datasets;
import dev.tokenreduce.datasets.readers.SegmentationDataset;
import dev.tokenreduce.eval.defaults.EmbeddedDefault;
import dev.tokenreduce.eval.flops.VitFlops;
import dev.tokenreduce.eval.report.BenchmarkResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DenseBenchmark} in sliding-window mode on the embedded default model (128 px crops, patch 8). */
class DenseBenchmarkSlideTest {

    @TempDir
    Path dir;

    private static Policy builtin(String name) {
        return BuiltinPolicies.load().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void slideRunOnImagesLargerThanTheCropCountsEveryWindow() throws Exception {
        // 192 px scenes, crop 128, stride 64: windows at 0 and 64 on both axes = 4 per image
        SegmentationDataset data = Datasets.openSegmentation("generated:count=2,size=192,seed=4", "validation");
        Path out = dir.resolve("report");
        DenseBenchmark.Outcome o;
        double perWindowBaseline;
        try (EncoderHeadPredictor p = EncoderHeadPredictor.load(EmbeddedDefault.modelDir(), Device.cpu())) {
            GridSize grid = GridSize.square(16);
            perWindowBaseline = VitFlops.baseline(p.shape(grid)).plus("head", p.headFlops(grid)).gflops();
            o = DenseBenchmark.builder().setPredictor(p).setDataset(data).addPolicy(builtin("expedit-a2-8x8"))
                    .setOutput(out).optSlide(128, 64).optSlideResize(null).optWarmup(1).optRepeats(2)
                    .optAllowShortRuns(true).optConfig(java.util.Map.of("command", "test")).build().run();
        }
        List<BenchmarkResult> results = o.results();
        assertThat(results).extracting(BenchmarkResult::name).containsExactly("baseline", "expedit-a2-8x8");
        BenchmarkResult base = results.get(0);
        assertThat(base.gflops()).isCloseTo(4 * perWindowBaseline, within(1e-9));
        assertThat(base.details().get("windowsPerImage")).isEqualTo(4);
        assertThat((double) base.details().get("gflopsPerWindow")).isCloseTo(perWindowBaseline, within(1e-9));
        // the per-window schedule: 256 patches + CLS through 6 blocks; Expedit keeps 64 after block 2
        assertThat(base.schedule().compact()).isEqualTo("257×6");
        BenchmarkResult expedit = results.get(1);
        assertThat(expedit.schedule().compact()).isEqualTo("257×2 → 65×4");
        assertThat(expedit.gflops()).isCloseTo(4 * (double) expedit.details().get("gflopsPerWindow"),
                within(1e-9)).isLessThan(base.gflops());
        assertThat(base.fidelity().get("pixel_agreement")).isEqualTo(100.0);
        assertThat(base.metric("mIoU")).isBetween(0.0, 100.0);
        assertThat(expedit.metric("mIoU")).isBetween(0.0, 100.0);
        assertThat(expedit.fidelity().get("pixel_agreement")).isBetween(50.0, 100.0);
        // every label pixel of both 192 x 192 images is predicted
        assertThat(((Number) base.details().get("evaluatedPixels")).longValue()).isLessThanOrEqualTo(2L * 192 * 192)
                .isPositive();
        assertThat(expedit.latency().count()).isEqualTo(2);

        JsonNode slide = new ObjectMapper().readTree(out.resolve("results.json").toFile()).path("run")
                .path("config").path("slidingWindow");
        assertThat(slide.path("crop").asText()).isEqualTo("128x128");
        assertThat(slide.path("stride").asText()).isEqualTo("64x64");
        assertThat(slide.path("resize").asText()).isEqualTo("none");
        assertThat(Files.readString(out.resolve("report.md"))).contains("Sliding-window inference: crop 128x128");
        // a cluster map of the first window for each of the 2 samples
        assertThat(o.files().images()).hasSize(2);
        for (Path img : o.files().images()) {
            assertThat(ImageIO.read(img.toFile()).getWidth()).isPositive();
        }
    }

    @Test
    void defaultSlideResizeBringsTheShortSideToTheCrop() throws Exception {
        // 192 px scenes resized to 128 (mmseg keep-ratio rule) leave one window per image
        SegmentationDataset data = Datasets.openSegmentation("generated:count=1,size=192,seed=4", "validation");
        try (EncoderHeadPredictor p = EncoderHeadPredictor.load(EmbeddedDefault.modelDir(), Device.cpu())) {
            DenseBenchmark.Outcome o = DenseBenchmark.builder().setPredictor(p).setDataset(data)
                    .addPolicy(builtin("expedit-a2-8x8")).setOutput(dir.resolve("r")).optSlide(128, 96)
                    .optWarmup(0).optRepeats(1).optAllowShortRuns(true).optSampleImages(0).build().run();
            assertThat(o.results().get(0).details().get("windowsPerImage")).isEqualTo(1);
            JsonNode slide = new ObjectMapper().readTree(o.files().json().toFile()).path("run").path("config")
                    .path("slidingWindow");
            assertThat(slide.path("resize").asText()).isEqualTo("keepRatio(512, 128)");
        }
    }

    @Test
    void slideSettingsAreChecked() {
        SegmentationDataset data = Datasets.openSegmentation("generated:count=1,size=64", "validation");
        try (EncoderHeadPredictor p = EncoderHeadPredictor.load(EmbeddedDefault.modelDir(), Device.cpu())) {
            DenseBenchmark.Builder b = DenseBenchmark.builder().setPredictor(p).setDataset(data)
                    .addPolicy(builtin("expedit-a2-8x8")).setOutput(dir.resolve("o"));
            assertThatThrownBy(() -> b.optSlide(128, 64).optBatchSize(2).build())
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("batch size must be 1");
            assertThatThrownBy(() -> b.optBatchSize(1).optSlide(100, 50).build())
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("patch size 8");
            assertThatThrownBy(() -> b.optSlide(128, 160).build())
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("exceeds the crop");
            assertThatThrownBy(() -> b.optSlide(128, 64).optImageSize(128).build())
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("optSlideResize");
        }
    }
}
