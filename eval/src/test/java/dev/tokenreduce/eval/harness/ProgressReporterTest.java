package dev.tokenreduce.eval.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressReporterTest {

    @Test
    void ttyBarRedrawsOneLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TtyProgressReporter bar = new TtyProgressReporter(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        bar.start("bench", 4);
        bar.step("baseline");
        bar.step("a-much-longer-policy-name");
        bar.step("x");
        bar.finish();
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).startsWith("\rbench [------------------------------] 0/4");
        assertThat(out).contains("\rbench [#######-----------------------] 1/4 baseline");
        assertThat(out).contains("3/4 x");
        assertThat(out.split("\n", -1)).hasSize(2); // one line, ended by finish()
        // the shorter third line is padded to erase the longer second one
        String[] frames = out.split("\r");
        assertThat(frames[4].stripTrailing().length()).isLessThan(frames[3].length());
        assertThat(frames[4].replace(System.lineSeparator(), "").length())
                .isGreaterThanOrEqualTo(frames[3].length());
    }

    @Test
    void quietReporterAndConsoleDetection() {
        ProgressReporter quiet = ProgressReporter.quiet();
        quiet.start("x", 3);
        quiet.step("y");
        quiet.finish();
        if (System.console() == null) {
            assertThat(ProgressReporter.forStderr()).isSameAs(quiet);
        } else {
            assertThat(ProgressReporter.forStderr()).isInstanceOf(TtyProgressReporter.class);
        }
    }

    @Test
    void memoryStatusLinesAreParsedInBytes() {
        List<String> lines = List.of("Name:\tjava", "VmHWM:\t  2048 kB", "VmRSS:\t  1024 kB");
        assertThat(MemorySnapshot.statusKiB(lines, "VmRSS:")).isEqualTo(1024 * 1024);
        assertThat(MemorySnapshot.statusKiB(lines, "VmHWM:")).isEqualTo(2048 * 1024);
        assertThat(MemorySnapshot.statusKiB(lines, "VmSwap:")).isEqualTo(-1);
        MemorySnapshot now = MemorySnapshot.now();
        assertThat(now.heapUsedBytes()).isPositive();
    }
}
