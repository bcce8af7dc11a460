package dev.tokenreduce.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenreduce.core.safetensors.SafetensorsFile;
import dev.tokenreduce.core.safetensors.SafetensorsWriter;
import dev.tokenreduce.core.testing.SharedFixtures;
import dev.tokenreduce.core.testing.Tolerance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tokenreduce generate} on the tiny LLaVA fixture model. */
class GenerateCommandTest {

    private static final Path MODEL = SharedFixtures.fixture("llava/tiny_llava");
    private static final Path REF = SharedFixtures.fixture("llava/tiny_llava_prefill.safetensors");

    @TempDir
    Path dir;

    private static String ids() {
        try (SafetensorsFile f = SafetensorsFile.open(REF)) {
            return Arrays.stream(f.readLongs("input_ids")).mapToObj(Long::toString).collect(Collectors.joining(","));
        }
    }

    @Test
    void greedyTokensAndLastLogitsMatchTheReference() {
        Path out = dir.resolve("gen.safetensors");
        Cli r = Cli.run("generate", "--model", MODEL.toString(), "--pixels", REF.toString(), "--input-ids", ids(),
                "--max-new-tokens", "6", "--output", out.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        try (SafetensorsFile ref = SafetensorsFile.open(REF); SafetensorsFile f = SafetensorsFile.open(out)) {
            String expected = Arrays.stream(ref.readLongs("greedy_tokens")).mapToObj(Long::toString)
                    .collect(Collectors.joining(","));
            assertThat(r.out()).contains("tokens: " + expected).contains("policy: none");
            assertThat(f.names()).containsExactlyInAnyOrder("last_logits", "tokens");
            assertThat(f.readLongs("tokens")).containsExactly(ref.readLongs("greedy_tokens"));
            assertThat(f.info("last_logits").shape()).containsExactly(1, 300);
            float[] all = ref.readFloats("prefill_logits");
            Tolerance.assertClose(f.readFloats("last_logits"), Arrays.copyOfRange(all, all.length - 300, all.length),
                    1e-4, "last_logits");
        }
    }

    @Test
    void samplingIsSeededAndDiffersFromGreedy() {
        String[] base = {"generate", "--model", MODEL.toString(), "--pixels", REF.toString(), "--input-ids", ids(),
                "--max-new-tokens", "8"};
        Cli greedy = Cli.run(base);
        Cli a = Cli.run(concat(base, "--temperature", "5", "--top-k", "50", "--seed", "3"));
        Cli b = Cli.run(concat(base, "--temperature", "5", "--top-k", "50", "--seed", "3"));
        Cli c = Cli.run(concat(base, "--temperature", "5", "--top-k", "50", "--seed", "4"));
        for (Cli r : new Cli[] {greedy, a, b, c}) {
            assertThat(r.exitCode()).as(r.toString()).isZero();
        }
        assertThat(tokensLine(a)).isEqualTo(tokensLine(b)).isNotEqualTo(tokensLine(greedy));
        assertThat(tokensLine(c)).isNotEqualTo(tokensLine(a));
        Cli negative = Cli.run(concat(base, "--temperature", "-1"));
        assertThat(negative.exitCode()).isEqualTo(2);
        assertThat(negative.err()).contains("temperature must be >= 0");
    }

    private static String tokensLine(Cli r) {
        return r.out().lines().filter(l -> l.startsWith("tokens: ")).findFirst().orElseThrow();
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void aPolicyIsRunAndRecorded() throws Exception {
        Path policy = dir.resolve("todre.yaml");
        Files.writeString(policy, String.join("\n", "name: todre-16", "steps:",
                "  - op: todre-diversity", "    at: vision-output", "    params: {keep: 16}", ""));
        Cli r = Cli.run("generate", "--model", MODEL.toString(), "--pixels", REF.toString(), "--input-ids", ids(),
                "--max-new-tokens", "2", "--policy", policy.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("policy: todre-16").contains("todre-diversity@vision-output: 64 -> 16")
                .contains("-> 30 positions");
    }

    @Test
    void badInputExitsTwoWithAClearMessage() {
        Cli noImage = Cli.run("generate", "--model", MODEL.toString(), "--pixels", REF.toString(), "--input-ids",
                "1,5,7");
        assertThat(noImage.exitCode()).as(noImage.toString()).isEqualTo(2);
        assertThat(noImage.err()).contains("no image placeholder (id 299)").doesNotContain("\tat ");
        Cli notNumber = Cli.run("generate", "--model", MODEL.toString(), "--pixels", REF.toString(), "--input-ids",
                "1,x,299");
        assertThat(notNumber.exitCode()).isEqualTo(2);
        assertThat(notNumber.err()).contains("--input-ids");
        Path noPixels = dir.resolve("nopix.safetensors");
        SafetensorsWriter.writeFloats(noPixels, "images", new float[12], 1, 3, 2, 2);
        Cli missing = Cli.run("generate", "--model", MODEL.toString(), "--pixels", noPixels.toString(),
                "--input-ids", "1,299");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("'pixel_values' not found").contains("(it has: images)");
        Cli notLlava = Cli.run("generate", "--model", SharedFixtures.fixture("vit/vit_plain/timm").toString(),
                "--pixels", REF.toString(), "--input-ids", "1,299");
        assertThat(notLlava.exitCode()).isEqualTo(2);
        assertThat(notLlava.err()).contains("expected 'llava'");
        Cli negative = Cli.run("generate", "--model", MODEL.toString(), "--pixels", REF.toString(), "--input-ids",
                "1,299", "--max-new-tokens", "-1");
        assertThat(negative.exitCode()).isEqualTo(2);
        assertThat(negative.err()).contains("--max-new-tokens must be >= 0");
    }
}
