package dev.tokenreduce.eval.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tokenreduce.core.InvalidInputException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a report folder: {@code report.md}, {@code results.csv}, {@code results.json}, {@code charts/*.png}
 * (metric vs GFLOPs, metric vs latency, token schedule per policy) and {@code images/*.png} (samples added with
 * {@link Builder#addImage}).
 *
 * <pre>{@code
 * ReportFiles files = ReportWriter.builder()
 *         .setDirectory(Path.of("reports/run-1"))
 *         .setRunInfo(RunInfo.capture(config, seed))
 *         .addResult(baseline).addResult(expedit)
 *         .optPrimaryMetric("mIoU")
 *         .build()
 *         .write();
 * }</pre>
 */
public final class ReportWriter {

    /** Chart of the primary metric against GFLOPs. */
    public static final String CHART_METRIC_VS_GFLOPS = "metric_vs_gflops.png";
    /** Chart of the primary metric against median latency. */
    public static final String CHART_METRIC_VS_LATENCY = "metric_vs_latency.png";
    /** Chart of tokens per layer for every policy. */
    public static final String CHART_TOKEN_SCHEDULE = "token_schedule.png";

    private final Path directory;
    private final RunInfo run;
    private final List<BenchmarkResult> results;
    private final String baseline;
    private final String primaryMetric;
    private final String title;
    private final Map<String, BufferedImage> images;

    private ReportWriter(Builder b) {
        this.directory = b.directory;
        this.run = b.run;
        this.results = List.copyOf(b.results);
        this.baseline = b.baseline != null ? b.baseline : b.results.get(0).name();
        this.primaryMetric = b.primaryMetric != null ? b.primaryMetric
                : b.results.stream().flatMap(r -> r.metrics().keySet().stream()).findFirst().orElse(null);
        this.title = b.title;
        this.images = new LinkedHashMap<>(b.images);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The metric shown in the table and charts (the explicit one, else the first any result has), or null. */
    public String primaryMetric() {
        return primaryMetric;
    }

    /**
     * Writes every file, replacing earlier ones of the same names.
     *
     * @throws UncheckedIOException when the folder cannot be written
     */
    public ReportFiles write() {
        Charts.ensureHeadless();
        BenchmarkResult base = results.stream().filter(r -> r.name().equals(baseline)).findFirst().orElseThrow();
        List<ReportRow> rows = new ArrayList<>();
        for (BenchmarkResult r : results) {
            rows.add(ReportRow.of(r, base, primaryMetric));
        }
        try {
            Files.createDirectories(directory);
            Path chartDir = directory.resolve("charts");
            Files.createDirectories(chartDir);
            List<Path> charts = new ArrayList<>();
            if (primaryMetric != null) {
                Path p = chartDir.resolve(CHART_METRIC_VS_GFLOPS);
                if (Charts.metricVs(results, primaryMetric, "GFLOPs per image", BenchmarkResult::gflops,
                        primaryMetric + " vs GFLOPs", p)) {
                    charts.add(p);
                }
                p = chartDir.resolve(CHART_METRIC_VS_LATENCY);
                if (Charts.metricVs(results, primaryMetric, "median latency (ms)",
                        r -> r.latency() == null ? Double.NaN : r.latency().medianMs(), primaryMetric + " vs latency",
                        p)) {
                    charts.add(p);
                }
            }
            Path schedule = chartDir.resolve(CHART_TOKEN_SCHEDULE);
            if (Charts.tokenSchedules(results, "tokens per layer", schedule)) {
                charts.add(schedule);
            }
            List<Path> imageFiles = new ArrayList<>();
            for (Map.Entry<String, BufferedImage> e : images.entrySet()) {
                Path p = directory.resolve("images").resolve(e.getKey());
                TokenMapImages.writePng(e.getValue(), p);
                imageFiles.add(p);
            }
            Path md = directory.resolve("report.md");
            Files.writeString(md, MarkdownReport.render(title, run, rows, baseline, primaryMetric, directory, charts,
                    imageFiles), StandardCharsets.UTF_8);
            Path csv = directory.resolve("results.csv");
            Files.writeString(csv, ResultsCsv.render(rows, primaryMetric), StandardCharsets.UTF_8);
            Path json = directory.resolve("results.json");
            writeJson(json, rows);
            return new ReportFiles(directory, md, csv, json, charts, imageFiles);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write report to " + directory + ": " + e.getMessage(), e);
        }
    }

    private void writeJson(Path file, List<ReportRow> rows) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", "tokenreduce-results/1");
        root.put("title", title);
        root.put("run", JsonValues.plain(run.asMap()));
        root.put("baseline", baseline);
        root.put("primaryMetric", primaryMetric);
        List<Object> list = new ArrayList<>();
        for (ReportRow row : rows) {
            BenchmarkResult r = row.result();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", r.name());
            m.put("tokensPerStage", r.tokensPerStage());
            m.put("schedule", r.schedule() == null ? null : JsonValues.schedule(r.schedule()));
            m.put("gflops", JsonValues.plain(r.gflops()));
            m.put("latency", r.latency() == null ? null : JsonValues.latency(r.latency()));
            m.put("speedup", JsonValues.plain(row.speedup()));
            m.put("metrics", JsonValues.plain(r.metrics()));
            m.put("deltaPrimaryMetric", JsonValues.plain(row.deltaMetric()));
            m.put("fidelity", JsonValues.plain(r.fidelity()));
            m.put("records", JsonValues.plain(r.records()));
            m.put("details", JsonValues.plain(r.details()));
            list.add(m);
        }
        root.put("results", list);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
    }

    /** DJL-style builder: directory, run info and at least one result required. */
    public static final class Builder {
        private Path directory;
        private RunInfo run;
        private final List<BenchmarkResult> results = new ArrayList<>();
        private String baseline;
        private String primaryMetric;
        private String title = "tokenreduce benchmark";
        private final Map<String, BufferedImage> images = new LinkedHashMap<>();

        private Builder() {}

        /** The report folder (created if missing). */
        public Builder setDirectory(Path directory) {
            this.directory = directory;
            return this;
        }

        public Builder setRunInfo(RunInfo run) {
            this.run = run;
            return this;
        }

        public Builder addResult(BenchmarkResult result) {
            results.add(result);
            return this;
        }

        public Builder addResults(List<BenchmarkResult> more) {
            results.addAll(more);
            return this;
        }

        /** The result ratios and deltas are relative to (default: the first). */
        public Builder optBaseline(String name) {
            this.baseline = name;
            return this;
        }

        /** The headline metric (default: the first metric any result has). */
        public Builder optPrimaryMetric(String metric) {
            this.primaryMetric = metric;
            return this;
        }

        public Builder optTitle(String title) {
            this.title = title;
            return this;
        }

        /** A sample image to write under {@code images/} (file name ending in .png). */
        public Builder addImage(String fileName, BufferedImage image) {
            if (fileName == null || !fileName.endsWith(".png") || fileName.contains("/") || fileName.contains("\\")) {
                throw new InvalidInputException("report image names must be plain file names ending in .png, got '"
                        + fileName + "'");
            }
            images.put(fileName, image);
            return this;
        }

        public ReportWriter build() {
            if (directory == null) {
                throw new InvalidInputException("report directory not set");
            }
            if (run == null) {
                throw new InvalidInputException("report run info not set");
            }
            if (results.isEmpty()) {
                throw new InvalidInputException("a report needs at least one result");
            }
            Set<String> names = new HashSet<>();
            for (BenchmarkResult r : results) {
                if (!names.add(r.name())) {
                    throw new InvalidInputException("two results are named '" + r.name() + "'");
                }
            }
            if (baseline != null && !names.contains(baseline)) {
                throw new InvalidInputException("baseline '" + baseline + "' is not one of the results " + names);
            }
            return new ReportWriter(this);
        }
    }
}
