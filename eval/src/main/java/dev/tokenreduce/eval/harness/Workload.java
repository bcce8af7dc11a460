package dev.tokenreduce.eval.harness;

/**
 * One timed run of a variant (e.g. one forward pass of a batch). It may report the time of its own phases (the
 * reducer's own time, prefill and decode) through {@code phases}; the harness times the whole call itself.
 */
@FunctionalInterface
public interface Workload {

    /** Runs once. Exceptions abort the benchmark with the variant and run named. */
    void run(PhaseRecorder phases) throws Exception;

    /** A workload without phases. */
    static Workload of(Task task) {
        return phases -> task.run();
    }

    /** A plain task that may throw. */
    @FunctionalInterface
    interface Task {
        void run() throws Exception;
    }
}
