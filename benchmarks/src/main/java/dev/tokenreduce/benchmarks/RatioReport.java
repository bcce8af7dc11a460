package dev.tokenreduce.benchmarks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link TodreDiversityBenchmark} and {@link TomeMergeBenchmark} through JMH (settings from their
 * annotations: fork 1, warm-up 3×1 s, measurement 5×2 s, 1 JMH thread, 2 libtorch threads) and prints each operator
 * as a multiple of its in-run reference: {@code todre/matmul = x.xx} per shape and mode, {@code tome/block = x.xxx}.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.tokenreduce.benchmarks.RatioReport [todre] [tome]} (default both).
 */
public final class RatioReport {

    private RatioReport() {}

    public static void main(String[] args) throws RunnerException {
        List<String> which = args.length == 0 ? List.of("todre", "tome") : List.of(args);
        OptionsBuilder options = new OptionsBuilder();
        if (which.contains("todre")) {
            options.include(TodreDiversityBenchmark.class.getName().replace(".", "\\.") + "\\.");
        }
        if (which.contains("tome")) {
            options.include(TomeMergeBenchmark.class.getName().replace(".", "\\.") + "\\.");
        }
        String before = BenchEnv.loadAverage();
        Options built = options.build();
        Collection<RunResult> results = new Runner(built).run();
        System.out.println();
        System.out.println("load average before: " + before + ", after: " + BenchEnv.loadAverage());
        for (String line : ratios(results)) {
            System.out.println(line);
        }
    }

    /** The ratio lines for whatever of the two benchmarks is in {@code results}. */
    static List<String> ratios(Collection<RunResult> results) {
        Map<String, double[]> matmul = new LinkedHashMap<>();
        Map<String, double[]> diversity = new LinkedHashMap<>();
        double[] merge = null;
        double[] block = null;
        for (RunResult r : results) {
            String bench = r.getParams().getBenchmark();
            String method = bench.substring(bench.lastIndexOf('.') + 1);
            double[] score = {r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()};
            switch (method) {
                case "matmulReference" -> matmul.put(r.getParams().getParam("shape"), score);
                case "diversity" -> diversity.put(r.getParams().getParam("shape") + " " + r.getParams().getParam("mode"),
                        score);
                case "merge" -> merge = score;
                case "blockForward" -> block = score;
                default -> { }
            }
        }
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, double[]> e : diversity.entrySet()) {
            String shape = e.getKey().substring(0, e.getKey().indexOf(' '));
            double[] ref = matmul.get(shape);
            if (ref != null) {
                lines.add(String.format("todre/matmul = %.2f  (n x d x k = %s, mode %s: %.3f ± %.3f ms vs %.3f ± %.3f ms)",
                        e.getValue()[0] / ref[0], shape, e.getKey().substring(e.getKey().indexOf(' ') + 1),
                        e.getValue()[0], e.getValue()[1], ref[0], ref[1]));
            }
        }
        if (merge != null && block != null) {
            lines.add(String.format("tome/block = %.4f  (merge r=%d at N=%d, C=%d: %.3f ± %.3f ms vs ViT-L block %.2f ± %.2f ms)",
                    merge[0] / block[0], TomeMergeBenchmark.R, TomeMergeBenchmark.TOKENS, TomeMergeBenchmark.WIDTH,
                    merge[0], merge[1], block[0], block[1]));
        }
        return lines;
    }
}
