package dev.tokenreduce.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

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
    void commandsNotInThisBuildFailClearly() {
        for (String cmd : new String[] {"bench", "generate", "visualize"}) {
            Cli r = Cli.run(cmd, "--repeats", "3");
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
            assertThat(r.err()).contains("'tokenreduce " + cmd + "' is not available in this build yet")
                    .doesNotContain("\tat ");
            assertThat(r.out()).isEmpty();
        }
    }

    @Test
    void debugPrintsTheStackTrace() {
        Cli r = Cli.run("bench", "--debug");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("not available").contains("\tat dev.tokenreduce.cli.BenchCommand");
        Cli top = Cli.run("--debug", "visualize");
        assertThat(top.exitCode()).isEqualTo(2);
        assertThat(top.err()).contains("\tat dev.tokenreduce.cli.VisualizeCommand");
    }
}
