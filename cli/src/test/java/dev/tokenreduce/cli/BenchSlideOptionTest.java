package dev.tokenreduce.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tokenreduce bench --slide CROP[:STRIDE]} and its companion options. */
class BenchSlideOptionTest {

    @TempDir
    Path dir;

    private void assertUsageError(Cli r, String... fragments) {
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains(fragments).doesNotContain("\tat ");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void badSlideValuesExitTwoNamingTheOption() {
        assertUsageError(Cli.run("bench", "--slide", "128:200"), "--slide", "stride 200 exceeds the crop 128");
        assertUsageError(Cli.run("bench", "--slide", "0"), "--slide", "crop must be positive");
        assertUsageError(Cli.run("bench", "--slide", "128:-4"), "--slide", "stride must be positive");
        assertUsageError(Cli.run("bench", "--slide", "big"), "--slide", "whole number", "big");
        assertUsageError(Cli.run("bench", "--slide", "128:64:32"), "--slide", "CROP:STRIDE");
        assertUsageError(Cli.run("bench", "--slide", "128:"), "--slide", "stride", "whole number");
        // the embedded default model has 8-pixel patches
        assertUsageError(Cli.run("bench", "--slide", "100:50", "--output", dir.resolve("o").toString()), "--slide",
                "crop 100", "patch size 8");
        assertUsageError(Cli.run("bench", "--slide", "128", "--batch-size", "4"), "--batch-size", "--slide");
        assertUsageError(Cli.run("bench", "--slide", "128", "--image-size", "128"), "--image-size",
                "--resize-short");
        assertUsageError(Cli.run("bench", "--slide", "128", "--resize-short", "-1"), "--resize-short");
        assertUsageError(Cli.run("bench", "--slide", "128", "--slide-batch", "0"), "--slide-batch");
        assertUsageError(Cli.run("bench", "--resize-short", "512"), "--resize-short", "only applies with --slide");
        assertUsageError(Cli.run("bench", "--slide-batch", "2"), "--slide-batch", "only applies with --slide");
        assertThat(Cli.run("bench", "--help").out()).contains("--slide", "--resize-short", "--slide-batch");
    }

    @Test
    void slideRunOnTheEmbeddedModelCountsEveryWindowAndRecordsTheOptions() throws Exception {
        Path out = dir.resolve("report");
        Path policy = dir.resolve("pool.yaml");
        Files.writeString(policy, "name: pool-8x8\nsteps:\n  - {op: pool, at: {block: 2}, params: {clusters: 8x8}}\n");
        // 192 px scenes at their own size, 128 px windows every 64 px: 4 windows per image
        Cli r = Cli.run("bench", "--dataset", "generated:count=2,size=192", "--policy", policy.toString(), "--slide",
                "128:64", "--resize-short", "0", "--slide-batch", "2", "--repeats", "1", "--warmup", "0",
                "--output", out.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("baseline", "pool-8x8", "sliding windows 128:64", "report: ");
        JsonNode json = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        JsonNode config = json.path("run").path("config");
        assertThat(config.path("slide").asText()).isEqualTo("128:64");
        assertThat(config.path("resizeShort").asInt()).isZero();
        assertThat(config.path("slideBatch").asInt()).isEqualTo(2);
        assertThat(config.path("batchSize").asInt()).isEqualTo(1);
        assertThat(config.path("slidingWindow").path("resize").asText()).isEqualTo("none");
        assertThat(config.path("slidingWindow").path("windowBatch").asInt()).isEqualTo(2);
        for (JsonNode result : json.path("results")) {
            assertThat(result.path("details").path("windowsPerImage").asInt()).isEqualTo(4);
            assertThat(result.path("gflops").asDouble()).isCloseTo(
                    4 * result.path("details").path("gflopsPerWindow").asDouble(), within(1e-9));
        }
        assertThat(Files.readString(out.resolve("report.md"))).contains("Sliding-window inference: crop 128x128, "
                + "stride 64x64, resize none");
    }

    @Test
    void withoutSlideTheRunConfigurationHasNoSlideEntries() throws Exception {
        Path out = dir.resolve("plain");
        Cli r = Cli.run("bench", "--dataset", "generated:count=1,size=64", "--limit", "1", "--repeats", "1",
                "--warmup", "0", "--batch-size", "1", "--output", out.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode config = new ObjectMapper().readTree(out.resolve("results.json").toFile()).path("run")
                .path("config");
        assertThat(config.has("slide")).isFalse();
        assertThat(config.has("resizeShort")).isFalse();
        assertThat(config.has("slidingWindow")).isFalse();
        assertThat(config.path("imageSize").asInt()).isEqualTo(128);
        assertThat(Files.readString(out.resolve("report.md"))).doesNotContain("Sliding-window");
    }
}
