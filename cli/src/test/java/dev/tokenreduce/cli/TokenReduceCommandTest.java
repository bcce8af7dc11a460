package dev.tokenreduce.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TokenReduceCommandTest {

    @Test
    void versionNamesTheProjectAndEngine() {
        Cli r = Cli.run("--version");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("tokenreduce 0.1.0").contains("DJL 0.36.0").contains("PyTorch 2.7.1")
                .contains("Java 17");
    }

    @Test
    void helpListsEveryCommand() {
        Cli r = Cli.run("--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("bench", "apply", "features", "inspect", "generate", "visualize", "--debug");
    }

    @Test
    void noCommandIsBadUsage() {
        Cli r = Cli.run();
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Usage: tokenreduce");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void unknownCommandOrOptionIsBadUsageWithoutStackTrace() {
        Cli r = Cli.run("benchmark");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("tokenreduce: error:").contains("benchmark").doesNotContain("\tat ");
        Cli opt = Cli.run("apply", "tome", "--input", "a", "--output", "b", "--inptu", "x");
        assertThat(opt.exitCode()).isEqualTo(2);
        assertThat(opt.err()).contains("Unknown option").contains("--inptu").doesNotContain("\tat ");
    }

    @Test
    void debugPrintsTheStackTrace() {
        Cli r = Cli.run("bench", "--batch-size", "0", "--debug");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--batch-size").contains("\tat dev.tokenreduce.cli.BenchCommand");
        Cli top = Cli.run("--debug", "visualize", "--policy", "no-such-policy", "--image", "in.png", "--output",
                "out.png");
        assertThat(top.exitCode()).isEqualTo(2);
        assertThat(top.err()).contains("\tat dev.tokenreduce.cli.VisualizeCommand");
    }

    @CommandLine.Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        @CommandLine.Option(names = "--debug")
        boolean debug;

        @Override
        public Integer call() {
            throw new IllegalStateException("a bug");
        }
    }

    @Test
    void unexpectedErrorsAreInternalErrorsWithExitOne() {
        for (boolean debug : new boolean[] {false, true}) {
            StringWriter err = new StringWriter();
            CommandLine cl = new CommandLine(new Boom());
            ErrorHandler handler = new ErrorHandler();
            cl.setExecutionExceptionHandler(handler);
            cl.setParameterExceptionHandler(handler);
            cl.setErr(new PrintWriter(err, true));
            int code = debug ? cl.execute("--debug") : cl.execute();
            assertThat(code).isEqualTo(TokenReduceCommand.EXIT_INTERNAL);
            assertThat(err.toString()).contains("boom: error: internal error: java.lang.IllegalStateException: a bug");
            if (debug) {
                assertThat(err.toString()).contains("\tat dev.tokenreduce.cli.TokenReduceCommandTest$Boom.call");
            } else {
                assertThat(err.toString()).contains("run with --debug for the stack trace").doesNotContain("\tat ");
            }
        }
    }
}
