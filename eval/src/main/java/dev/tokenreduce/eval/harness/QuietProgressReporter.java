package dev.tokenreduce.eval.harness;

/** A progress reporter that prints nothing (stderr is not a terminal). */
final class QuietProgressReporter implements ProgressReporter {

    static final QuietProgressReporter INSTANCE = new QuietProgressReporter();

    private QuietProgressReporter() {}

    @Override
    public void start(String task, int total) {}

    @Override
    public void step(String detail) {}

    @Override
    public void finish() {}
}
