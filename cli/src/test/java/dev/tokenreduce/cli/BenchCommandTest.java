package dev.tokenreduce.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCommandTest {

    @TempDir
    Path dir;

    private void assertUsageError(Cli r, String... fragments) {
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains(fragments).doesNotContain("\tat ");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void badOptionValuesExitTwoWithAClearMessage() {
        assertUsageError(Cli.run("bench", "--model", dir.resolve("nope").toString()), "--model", "nope",
                "does not exist");
        assertUsageError(Cli.run("bench", "--dataset", "no-colon-here"), "--dataset", "TYPE:PATH");
        assertUsageError(Cli.run("bench", "--dataset", "imagenet:/x"), "imagenet");
        assertUsageError(Cli.run("bench", "--policy", dir.resolve("missing.yaml").toString()), "--policy",
                "missing.yaml");
        assertUsageError(Cli.run("bench", "--batch-size", "0"), "--batch-size", "at least 1");
        assertUsageError(Cli.run("bench", "--repeats", "0"), "--repeats");
        assertUsageError(Cli.run("bench", "--warmup", "-1"), "--warmup");
        assertUsageError(Cli.run("bench", "--limit", "-3"), "--limit");
        assertUsageError(Cli.run("bench", "--image-size", "0"), "--image-size");
        assertUsageError(Cli.run("bench", "--threads", "0"), "--threads");
        assertUsageError(Cli.run("bench", "--device", "tpu"), "--device");
        assertUsageError(Cli.run("bench", "--batch-size", "two"), "--batch-size", "two");
    }

    @Test
    void aMalformedPolicyFileNamesTheFile() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "steps:\n  - op: no-such-operator\n    at: output\n");
        assertUsageError(Cli.run("bench", "--policy", bad.toString()), "bad.yaml", "no-such-operator");
    }
}
