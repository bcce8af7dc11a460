package dev.tokenreduce.cli;

import dev.tokenreduce.eval.bench.DenseBenchmark;
import dev.tokenreduce.eval.report.BenchmarkResult;
import java.util.List;
import java.util.Locale;

/** The console table of {@code bench}: one line per variant, baseline first. */
final class BenchTable {

    private BenchTable() {}

    static String render(List<BenchmarkResult> results) {
        if (!Double.isNaN(results.get(0).metric(DenseBenchmark.ABS_REL))) {
            return renderDepth(results);
        }
        BenchmarkResult base = results.get(0);
        String fmt = leadingColumns(results) + "  %8s  %10s  %8s  %7s  %7s  %9s%n";
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, fmt, "policy", "tokens", "GFLOPs", "median ms", "speed-up", "mIoU",
                "ΔmIoU", "pix.agree"));
        double baseMs = base.latency() == null ? Double.NaN : base.latency().medianMs();
        double baseMiou = base.metric(DenseBenchmark.MIOU);
        for (BenchmarkResult r : results) {
            double ms = r.latency() == null ? Double.NaN : r.latency().medianMs();
            double miou = r.metric(DenseBenchmark.MIOU);
            sb.append(String.format(Locale.ROOT, fmt, r.name(), r.tokensPerStage(), num(r.gflops(), 4),
                    num(ms, 2), Double.isFinite(ms) && ms > 0 ? num(baseMs / ms, 2) + "x" : "-", num(miou, 2),
                    signed(miou - baseMiou), num(r.fidelity().getOrDefault("pixel_agreement", Double.NaN), 2) + "%"));
        }
        return sb.toString();
    }

    /** The format of the policy and tokens columns, as wide as their longest entry. */
    private static String leadingColumns(List<BenchmarkResult> results) {
        int nameWidth = "policy".length();
        int tokenWidth = "tokens".length();
        for (BenchmarkResult r : results) {
            nameWidth = Math.max(nameWidth, r.name().length());
            tokenWidth = Math.max(tokenWidth, r.tokensPerStage().length());
        }
        return "%-" + nameWidth + "s  %-" + tokenWidth + "s";
    }

    /** A depth run: AbsRel, RMSE (m) and δ1 with their change against the baseline, and the depth difference. */
    private static String renderDepth(List<BenchmarkResult> results) {
        BenchmarkResult base = results.get(0);
        String fmt = leadingColumns(results)
                + "  %8s  %10s  %8s  %7s  %8s  %7s  %8s  %6s  %7s  %10s%n";
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, fmt, "policy", "tokens", "GFLOPs", "median ms", "speed-up", "AbsRel",
                "ΔAbsRel", "RMSE", "ΔRMSE", "δ1", "Δδ1", "depth.diff"));
        double baseMs = base.latency() == null ? Double.NaN : base.latency().medianMs();
        for (BenchmarkResult r : results) {
            double ms = r.latency() == null ? Double.NaN : r.latency().medianMs();
            double absRel = r.metric(DenseBenchmark.ABS_REL);
            double rmse = r.metric("RMSE");
            double d1 = r.metric("δ1");
            sb.append(String.format(Locale.ROOT, fmt, r.name(), r.tokensPerStage(), num(r.gflops(), 4), num(ms, 2),
                    Double.isFinite(ms) && ms > 0 ? num(baseMs / ms, 2) + "x" : "-", num(absRel, 4),
                    signed(absRel - base.metric(DenseBenchmark.ABS_REL), 4), num(rmse, 3),
                    signed(rmse - base.metric("RMSE"), 3), num(d1, 3), signed(d1 - base.metric("δ1"), 3),
                    num(100 * r.fidelity().getOrDefault("depth_rel_diff", Double.NaN), 2) + "%"));
        }
        return sb.toString();
    }

    private static String signed(double v, int decimals) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%+." + decimals + "f", v) : "-";
    }

    private static String num(double v, int decimals) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : "-";
    }

    private static String signed(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%+.2f", v) : "-";
    }
}
