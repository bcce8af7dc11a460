package dev.tokenreduce.vit;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenreduce.clustering.expedit.ExpeditRestoration;
import dev.tokenreduce.core.op.ReductionRecord;
import dev.tokenreduce.core.policy.Policy;
import dev.tokenreduce.core.policy.PolicyLoader;
import dev.tokenreduce.core.safetensors.SafetensorsFile;
import dev.tokenreduce.core.testing.SharedFixtures;
import dev.tokenreduce.core.testing.Tolerance;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Expedit's hourglass end to end: timm ViT, official clustering after α blocks, official reconstruction of the
 * final-normed cluster tokens (k = 3). Parameters come from the fixtures' manifest; the policy is written as YAML.
 */
class HourglassTest {

    static final double TOL = 1e-4;

    static Stream<JsonNode> cases() throws IOException {
        JsonNode manifest = new ObjectMapper().readTree(SharedFixtures.fixture("manifest.json").toFile());
        List<JsonNode> out = new ArrayList<>();
        manifest.get("hourglass").forEach(out::add);
        assertThat(out).as("hourglass cases in the manifest").hasSize(4);
        return out.stream();
    }

    static Policy policy(JsonNode c) {
        String yaml = String.format(Locale.ROOT, """
                name: hourglass
                steps:
                  - op: expedit-cluster
                    at: {block: %d}
                    params: {clusters: "%dx%d", iterations: %d, window: %d, temperature: %s}
                  - op: expedit-reconstruct
                    at: output
                    params: {k: %d, temperature: %s}
                """, c.get("alpha").asInt(), c.get("cluster_hw").get(0).asInt(), c.get("cluster_hw").get(1).asInt(),
                c.get("iterations").asInt(), c.get("window").asInt(), c.get("temperature_multiplier").asText(),
                c.get("reconstruction_k").asInt(), c.get("reconstruction_temperature_multiplier").asText());
        return PolicyLoader.withDefaults().parse(yaml, false, "hourglass.yaml", "hourglass", null);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesTheOfficialOps(JsonNode c) {
        String file = c.get("file").asText();
        int clusters = c.get("cluster_hw").get(0).asInt() * c.get("cluster_hw").get(1).asInt();
        try (VisionEncoder vit = VisionEncoder.load(SharedFixtures.fixture(c.get("model").asText() + "/timm"));
                NDManager scope = NDManager.newBaseManager();
                SafetensorsFile ref = SafetensorsFile.open(SharedFixtures.fixture(file))) {
            EncoderOutput out = vit.encode(ref.load("pixel_values", scope), policy(c), scope);
            NDArray clustered = ref.load("clustered_final", scope);
            assertThat(clustered.getShape().get(1)).isEqualTo(vit.config().prefixTokens() + clusters);
            double dFinal = Tolerance.assertClose(out.finalTokens(), clustered, TOL, file + " clustered_final");
            double dRec = Tolerance.assertClose(out.reconstructed(), ref.load("reconstructed_patch_tokens", scope), TOL,
                    file + " reconstructed_patch_tokens");
            ExpeditRestoration restoration = (ExpeditRestoration) out.state().restoration();
            assertThat(restoration.clusters().hardLabels().toLongArray())
                    .as("hard labels").containsExactly(ref.readLongs("hard_labels"));
            assertThat(out.records()).extracting(ReductionRecord::op)
                    .containsExactly("expedit-cluster", "expedit-reconstruct");
            assertThat(out.records().get(0).tokensOut()).isEqualTo(clusters);
            System.out.printf("max|a-b| %-45s clustered_final %.3e reconstructed %.3e%n", file, dFinal, dRec);
        }
    }
}
