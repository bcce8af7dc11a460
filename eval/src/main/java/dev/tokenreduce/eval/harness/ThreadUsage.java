package dev.tokenreduce.eval.harness;

import java.lang.management.ManagementFactory;

/**
 * The threads a benchmark ran with: processors the JVM sees, the OpenMP/MKL thread settings that PyTorch's
 * intra-op pool follows, and the live JVM threads.
 *
 * @param availableProcessors {@link Runtime#availableProcessors()}
 * @param ompNumThreads {@code OMP_NUM_THREADS}, or {@code null} when unset
 * @param mklNumThreads {@code MKL_NUM_THREADS}, or {@code null} when unset
 * @param jvmLiveThreads live JVM threads when measured
 */
public record ThreadUsage(int availableProcessors, String ompNumThreads, String mklNumThreads, int jvmLiveThreads) {

    /** Reads the current values. */
    public static ThreadUsage now() {
        return new ThreadUsage(Runtime.getRuntime().availableProcessors(), System.getenv("OMP_NUM_THREADS"),
                System.getenv("MKL_NUM_THREADS"), ManagementFactory.getThreadMXBean().getThreadCount());
    }
}
