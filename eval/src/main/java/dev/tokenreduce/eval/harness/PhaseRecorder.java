package dev.tokenreduce.eval.harness;

/** Receives the duration of named phases inside one run (a reducer's own time, prefill, decode). */
@FunctionalInterface
public interface PhaseRecorder {

    /** Adds {@code nanos} to {@code phase} for the current run (several calls for one phase add up). */
    void record(String phase, long nanos);

    /** A recorder that drops everything. */
    static PhaseRecorder ignoring() {
        return (phase, nanos) -> {};
    }
}
