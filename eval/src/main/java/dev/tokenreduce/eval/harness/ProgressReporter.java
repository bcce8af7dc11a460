package dev.tokenreduce.eval.harness;

/**
 * Progress of a long run. {@link #forStderr()} gives a bar on stderr when it is a terminal and a silent reporter
 * otherwise (CI logs, redirected output), so logs are never filled with carriage returns.
 */
public interface ProgressReporter {

    /** A new task of {@code total} steps. */
    void start(String task, int total);

    /** One step done; {@code detail} says which (a variant name, an image). */
    void step(String detail);

    /** The task is done (ends the bar's line). */
    void finish();

    /** A bar on stderr if there is a console, otherwise {@link #quiet()}. */
    static ProgressReporter forStderr() {
        return System.console() != null ? new TtyProgressReporter(System.err) : quiet();
    }

    /** Reports nothing. */
    static ProgressReporter quiet() {
        return QuietProgressReporter.INSTANCE;
    }
}
