package dev.tokenreduce.benchmarks;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Process set-up and machine description shared by the benchmarks: DJL offline with a fixed number of libtorch
 * intra-op threads (set before the engine starts), and the facts every figure is reported with (date, CPU, cores,
 * load average, versions).
 */
public final class BenchEnv {

    /** libtorch intra-op threads used by every benchmark unless {@code -Dbench.threads} says otherwise. */
    public static final int DEFAULT_THREADS = 2;

    private BenchEnv() {}

    /** The thread count in use: {@code -Dbench.threads}, else {@value #DEFAULT_THREADS}. */
    public static int threads() {
        return Integer.getInteger("bench.threads", DEFAULT_THREADS);
    }

    /**
     * Sets DJL offline and the libtorch thread counts (intra-op {@link #threads()}, inter-op 1) unless already set.
     * Must run before the first DJL call of the process.
     */
    public static void configure() {
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("ai.djl.pytorch.num_threads", Integer.toString(threads()));
        setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
    }

    /** The same settings as JVM arguments, for JMH forks. */
    public static String[] jvmArgs() {
        return new String[] {"-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=" + threads(),
            "-Dai.djl.pytorch.num_interop_threads=1", "-Xss4m"};
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** The 1, 5 and 15 minute load averages from /proc/loadavg, or "n/a". */
    public static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    /** CPU model name from /proc/cpuinfo, or the OS architecture. */
    public static String cpuModel() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            for (String line : lines) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return System.getProperty("os.arch");
    }

    private static String djlVersion() {
        try {
            return Engine.getDjlVersion();
        } catch (RuntimeException e) {
            return "?";
        }
    }

    /** One line with date, machine, load, versions and threads: printed ahead of every result block. */
    public static String describe() {
        String engine;
        try {
            engine = Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion();
        } catch (RuntimeException e) {
            engine = "engine unavailable: " + e.getMessage();
        }
        return String.format("date %s | CPU %s, nproc %d | load %s | Java %s | DJL %s, %s | threads %d",
                ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME), cpuModel(),
                Runtime.getRuntime().availableProcessors(), loadAverage(), System.getProperty("java.version"),
                djlVersion(), engine, threads());
    }
}
