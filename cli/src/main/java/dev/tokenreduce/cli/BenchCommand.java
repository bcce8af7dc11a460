package dev.tokenreduce.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** {@code tokenreduce bench}: the benchmark of every policy against the baseline. Not in this build yet. */
@Command(name = "bench", description = "Benchmark policies against the baseline: accuracy, GFLOPs, latency, "
        + "speed-up, and a report folder (not available in this build yet).")
final class BenchCommand implements Callable<Integer> {

    @Unmatched
    List<String> arguments = new ArrayList<>();

    @Override
    public Integer call() {
        throw NotAvailable.command("bench", "the benchmark runner is being built");
    }
}
