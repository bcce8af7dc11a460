package dev.tokenreduce.eval.report;

import java.util.ArrayList;
import java.util.List;

/** Renders {@code results.csv}: one row per policy, metrics and fidelity values as their own columns. */
final class ResultsCsv {

    private ResultsCsv() {}

    static String render(List<ReportRow> rows, String primaryMetric) {
        List<String> metrics = new ArrayList<>();
        List<String> fidelity = new ArrayList<>();
        for (ReportRow row : rows) {
            row.result().metrics().keySet().stream().filter(k -> !metrics.contains(k)).forEach(metrics::add);
            row.result().fidelity().keySet().stream().filter(k -> !fidelity.contains(k)).forEach(fidelity::add);
        }
        List<String> header = new ArrayList<>(List.of("policy", "tokens_per_stage", "gflops", "latency_median_ms",
                "latency_p90_ms", "latency_mean_ms", "speedup"));
        metrics.forEach(m -> header.add("metric:" + m));
        if (primaryMetric != null) {
            header.add("delta:" + primaryMetric);
        }
        fidelity.forEach(f -> header.add("fidelity:" + f));
        StringBuilder sb = new StringBuilder();
        line(sb, header);
        for (ReportRow row : rows) {
            BenchmarkResult r = row.result();
            List<String> cells = new ArrayList<>(List.of(r.name(), r.tokensPerStage(), Formats.csvNumber(r.gflops()),
                    Formats.csvNumber(row.medianMs()), Formats.csvNumber(row.p90Ms()), Formats.csvNumber(row.meanMs()),
                    Formats.csvNumber(row.speedup())));
            metrics.forEach(m -> cells.add(Formats.csvNumber(r.metric(m))));
            if (primaryMetric != null) {
                cells.add(Formats.csvNumber(row.deltaMetric()));
            }
            fidelity.forEach(f -> cells.add(Formats.csvNumber(r.fidelity().getOrDefault(f, Double.NaN))));
            line(sb, cells);
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(Formats.csv(cells.get(i)));
        }
        sb.append("\r\n");
    }
}
