package dev.tokenreduce.eval.harness;

/** A monotonic nanosecond clock; {@link System#nanoTime()} unless a test supplies its own. */
@FunctionalInterface
public interface NanoClock {

    long nanoTime();

    static NanoClock system() {
        return System::nanoTime;
    }
}
