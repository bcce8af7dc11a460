package dev.tokenreduce.eval.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Process memory at one moment: resident set size and its peak from {@code /proc/self/status} (Linux; −1
 * elsewhere), which include native tensor memory, and the JVM heap in use.
 *
 * @param rssBytes VmRSS, or −1 when unknown
 * @param peakRssBytes VmHWM (the peak resident set so far), or −1 when unknown
 * @param heapUsedBytes JVM heap in use
 */
public record MemorySnapshot(long rssBytes, long peakRssBytes, long heapUsedBytes) {

    private static final Path STATUS = Path.of("/proc/self/status");

    /** Reads the current values. */
    public static MemorySnapshot now() {
        long rss = -1;
        long hwm = -1;
        try {
            if (Files.isReadable(STATUS)) {
                List<String> lines = Files.readAllLines(STATUS);
                rss = statusKiB(lines, "VmRSS:");
                hwm = statusKiB(lines, "VmHWM:");
            }
        } catch (IOException | RuntimeException e) {
            // not Linux or not readable: memory stays unknown rather than failing a benchmark
        }
        Runtime rt = Runtime.getRuntime();
        return new MemorySnapshot(rss, hwm, rt.totalMemory() - rt.freeMemory());
    }

    /** The value of a {@code Key:   1234 kB} line in bytes, or −1. */
    static long statusKiB(List<String> lines, String key) {
        for (String line : lines) {
            if (line.startsWith(key)) {
                String[] parts = line.substring(key.length()).trim().split("\\s+");
                long value = Long.parseLong(parts[0]);
                return parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? value * 1024 : value;
            }
        }
        return -1;
    }

    /** RSS in MiB, or NaN when unknown. */
    public double rssMiB() {
        return rssBytes < 0 ? Double.NaN : rssBytes / (1024.0 * 1024.0);
    }

    /** Peak RSS in MiB, or NaN when unknown. */
    public double peakRssMiB() {
        return peakRssBytes < 0 ? Double.NaN : peakRssBytes / (1024.0 * 1024.0);
    }
}
