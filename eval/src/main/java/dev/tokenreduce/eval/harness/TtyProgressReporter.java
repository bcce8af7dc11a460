package dev.tokenreduce.eval.harness;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar redrawn with a carriage return: {@code task [#####-----] 12/40 detail}. For terminals;
 * use {@link ProgressReporter#forStderr()} to get it only when stderr is one.
 */
public final class TtyProgressReporter implements ProgressReporter {

    private static final int WIDTH = 30;

    private final PrintStream out;
    private String task = "";
    private int total;
    private int done;
    private int lastLength;

    public TtyProgressReporter(PrintStream out) {
        this.out = out;
    }

    @Override
    public synchronized void start(String task, int total) {
        this.task = task;
        this.total = Math.max(total, 0);
        this.done = 0;
        draw("");
    }

    @Override
    public synchronized void step(String detail) {
        done++;
        draw(detail == null ? "" : detail);
    }

    @Override
    public synchronized void finish() {
        out.print(System.lineSeparator());
        out.flush();
        lastLength = 0;
    }

    private void draw(String detail) {
        int filled = total == 0 ? WIDTH : (int) ((long) WIDTH * Math.min(done, total) / total);
        String bar = "#".repeat(filled) + "-".repeat(WIDTH - filled);
        String line = String.format(Locale.ROOT, "%s [%s] %d/%d %s", task, bar, done, total, detail);
        // pad with spaces to erase the rest of a longer previous line
        String pad = line.length() < lastLength ? " ".repeat(lastLength - line.length()) : "";
        out.print("\r" + line + pad);
        out.flush();
        lastLength = line.length();
    }
}
