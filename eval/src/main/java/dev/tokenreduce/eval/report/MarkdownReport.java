package dev.tokenreduce.eval.report;

import dev.tokenreduce.core.op.ReductionRecord;
import dev.tokenreduce.eval.flops.Flops;
import dev.tokenreduce.eval.flops.TokenSchedule;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders {@code report.md}. */
final class MarkdownReport {

    private MarkdownReport() {}

    static String render(String title, RunInfo run, List<ReportRow> rows, String baseline, String primaryMetric,
            Path directory, List<Path> charts, List<Path> images) {
        String nl = System.lineSeparator();
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(title).append(nl).append(nl);
        sb.append("Started ").append(run.startedAt()).append(", seed ").append(run.seed()).append(". Machine: ")
                .append(run.machine().getOrDefault("cpuModel", "unknown")).append(", ")
                .append(run.machine().getOrDefault("cores", "?")).append(" cores, ")
                .append(run.machine().getOrDefault("os", "?")).append(". tokenreduce ")
                .append(run.versions().getOrDefault("tokenreduce", "unknown")).append(", DJL ")
                .append(run.versions().getOrDefault("djl", "unknown")).append(", PyTorch ")
                .append(run.versions().getOrDefault("pytorch", "unknown")).append(", Java ")
                .append(run.versions().getOrDefault("java", "unknown")).append('.').append(nl).append(nl);
        sb.append("Baseline: `").append(baseline).append("`. Speed-up = baseline median latency / policy median latency")
                .append(" (variants alternated in one process). The full configuration is in `results.json`.")
                .append(nl).append(nl);
        Map<String, Object> cfg = run.config();
        if (cfg.containsKey("batchSize")) {
            // Latency is per forward of one batch; say which, and how it was measured.
            sb.append("Timing: batch ").append(cfg.get("batchSize")).append(" (latency is per forward of one batch)")
                    .append(", ").append(cfg.getOrDefault("warmup", "?")).append(" warm-up + ")
                    .append(cfg.getOrDefault("repeats", "?")).append(" timed runs per variant, device ")
                    .append(cfg.getOrDefault("device", "?")).append(", threads ")
                    .append(cfg.getOrDefault("threads", "?")).append('.').append(nl).append(nl);
        }
        if (cfg.get("slidingWindow") instanceof Map<?, ?> slide) {
            // sliding-window runs: GFLOPs and latency are per image over all its windows, not per window
            sb.append("Sliding-window inference: crop ").append(slide.get("crop")).append(", stride ")
                    .append(slide.get("stride")).append(", resize ").append(slide.get("resize"))
                    .append("; GFLOPs are per image (sum over its windows) and each timed forward is one image's whole")
                    .append(" sliding-window inference.").append(nl).append(nl);
        }

        String metricName = primaryMetric == null ? "metric" : primaryMetric;
        sb.append("| policy | tokens per stage | GFLOPs | latency median (ms) | latency p90 (ms) | speed-up | ")
                .append(Formats.cell(metricName)).append(" | Δ ").append(Formats.cell(metricName))
                .append(" | fidelity |").append(nl);
        sb.append("|---|---|---:|---:|---:|---:|---:|---:|---|").append(nl);
        for (ReportRow row : rows) {
            BenchmarkResult r = row.result();
            sb.append("| ").append(Formats.cell(r.name()))
                    .append(" | ").append(Formats.cell(r.tokensPerStage()))
                    .append(" | ").append(Formats.number(r.gflops(), 2))
                    .append(" | ").append(Formats.number(row.medianMs(), 2))
                    .append(" | ").append(Formats.number(row.p90Ms(), 2))
                    .append(" | ").append(Double.isNaN(row.speedup()) ? "-" : Formats.number(row.speedup(), 2) + "×")
                    .append(" | ").append(Formats.metric(row.primaryMetric()))
                    .append(" | ").append(Formats.signed(row.deltaMetric(), 4))
                    .append(" | ").append(Formats.cell(Formats.pairs(r.fidelity())))
                    .append(" |").append(nl);
        }
        sb.append(nl);

        List<String> otherMetrics = otherMetricNames(rows, primaryMetric);
        if (!otherMetrics.isEmpty()) {
            sb.append("## All metrics").append(nl).append(nl).append("| policy |");
            otherMetrics.forEach(m -> sb.append(' ').append(Formats.cell(m)).append(" |"));
            sb.append(nl).append("|---|").append("---:|".repeat(otherMetrics.size())).append(nl);
            for (ReportRow row : rows) {
                sb.append("| ").append(Formats.cell(row.result().name())).append(" |");
                otherMetrics.forEach(m -> sb.append(' ').append(Formats.metric(row.result().metric(m))).append(" |"));
                sb.append(nl);
            }
            sb.append(nl);
        }

        if (!charts.isEmpty()) {
            sb.append("## Charts").append(nl).append(nl);
            for (Path c : charts) {
                sb.append("![").append(c.getFileName()).append("](").append(relative(directory, c)).append(')')
                        .append(nl);
            }
            sb.append(nl);
        }

        appendSchedules(sb, rows, nl);
        appendRecords(sb, rows, nl);

        if (!images.isEmpty()) {
            sb.append("## Samples").append(nl).append(nl);
            for (Path i : images) {
                sb.append("![").append(i.getFileName()).append("](").append(relative(directory, i)).append(')')
                        .append(nl);
            }
            sb.append(nl);
        }
        return sb.toString();
    }

    private static List<String> otherMetricNames(List<ReportRow> rows, String primary) {
        List<String> names = new ArrayList<>();
        for (ReportRow row : rows) {
            for (String k : row.result().metrics().keySet()) {
                if (!names.contains(k)) {
                    names.add(k);
                }
            }
        }
        return names.size() > 1 || (names.size() == 1 && !names.get(0).equals(primary)) ? names : List.of();
    }

    private static void appendSchedules(StringBuilder sb, List<ReportRow> rows, String nl) {
        List<BenchmarkResult> withSchedule = new ArrayList<>();
        int layers = 0;
        for (ReportRow row : rows) {
            if (row.result().schedule() != null) {
                withSchedule.add(row.result());
                layers = Math.max(layers, row.result().schedule().layers());
            }
        }
        if (withSchedule.isEmpty()) {
            return;
        }
        sb.append("## Token schedule per layer").append(nl).append(nl);
        sb.append("FLOPs are analytic per forward pass of one image: 1 multiply-add = 2 FLOPs, attention counts all ")
                .append("N × N_k scores, the reducers' own cost is included; norms (").append(Flops.NORM_PER_ELEMENT)
                .append("/element), softmax (").append(Flops.SOFTMAX_PER_ELEMENT).append("/score) and activations (")
                .append(Flops.ACTIVATION_PER_ELEMENT).append("/element) are counted too. Tokens include prefix ")
                .append("tokens; `a/b` = a tokens in attention, b in the MLP.").append(nl).append(nl);
        sb.append("| layer |");
        withSchedule.forEach(r -> sb.append(' ').append(Formats.cell(r.name())).append(" |"));
        sb.append(nl).append("|---:|").append("---:|".repeat(withSchedule.size())).append(nl);
        for (int l = 0; l <= layers; l++) {
            sb.append("| ").append(l == layers ? "output" : Integer.toString(l)).append(" |");
            for (BenchmarkResult r : withSchedule) {
                TokenSchedule s = r.schedule();
                String v;
                if (l == layers) {
                    v = Integer.toString(s.outputTokens());
                } else if (l >= s.layers()) {
                    v = "";
                } else {
                    v = s.attentionTokens(l) == s.mlpTokens(l) ? Integer.toString(s.attentionTokens(l))
                            : s.attentionTokens(l) + "/" + s.mlpTokens(l);
                }
                sb.append(' ').append(v).append(" |");
            }
            sb.append(nl);
        }
        sb.append(nl);
    }

    private static void appendRecords(StringBuilder sb, List<ReportRow> rows, String nl) {
        boolean any = rows.stream().anyMatch(r -> !r.result().records().isEmpty());
        if (!any) {
            return;
        }
        sb.append("## Reduction steps").append(nl).append(nl);
        sb.append("| policy | step | calls | tokens in → out | mean time (ms) | changed count |").append(nl);
        sb.append("|---|---|---:|---|---:|---|").append(nl);
        for (ReportRow row : rows) {
            Map<String, List<ReductionRecord>> byStep = new LinkedHashMap<>();
            for (ReductionRecord rec : row.result().records()) {
                byStep.computeIfAbsent(rec.op() + " @ " + rec.at(), k -> new ArrayList<>()).add(rec);
            }
            for (Map.Entry<String, List<ReductionRecord>> e : byStep.entrySet()) {
                List<ReductionRecord> recs = e.getValue();
                double meanMs = recs.stream().mapToDouble(ReductionRecord::millis).average().orElse(Double.NaN);
                ReductionRecord first = recs.get(0);
                boolean changed = recs.stream().allMatch(ReductionRecord::changedCount);
                sb.append("| ").append(Formats.cell(row.result().name())).append(" | ").append(Formats.cell(e.getKey()))
                        .append(" | ").append(recs.size()).append(" | ").append(first.tokensIn()).append(" → ")
                        .append(first.tokensOut()).append(" | ").append(Formats.number(meanMs, 3)).append(" | ")
                        .append(changed ? "yes" : "**no**").append(" |").append(nl);
            }
        }
        sb.append(nl);
    }

    private static String relative(Path dir, Path file) {
        return dir.toAbsolutePath().relativize(file.toAbsolutePath()).toString().replace('\\', '/');
    }
}
