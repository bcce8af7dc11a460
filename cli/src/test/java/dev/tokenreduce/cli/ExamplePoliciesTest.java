package dev.tokenreduce.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenreduce.core.policy.Policy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The example policies shipped in the repository's policies/ folder load and validate. */
class ExamplePoliciesTest {

    @Test
    void everyExamplePolicyLoads() throws IOException {
        Path dir = Path.of("..", "policies");
        assertThat(dir).isDirectory();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().matches(".*\\.(ya?ml|json)$")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(3);
        for (Path f : files) {
            Policy p = Policy.load(f);
            assertThat(p.steps()).as(f.toString()).isNotEmpty();
        }
    }
}
