package dev.tokenreduce.vit.tome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.policy.Policy;
import dev.tokenreduce.core.policy.PolicyException;
import dev.tokenreduce.core.policy.PolicyLoader;
import dev.tokenreduce.core.safetensors.SafetensorsFile;
import dev.tokenreduce.core.testing.SharedFixtures;
import dev.tokenreduce.core.testing.Tolerance;
import dev.tokenreduce.vit.EncodeOptions;
import dev.tokenreduce.vit.EncoderOutput;
import dev.tokenreduce.vit.VisionEncoder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ToMe end to end: the timm ViT of {@code vit/vit_plain} patched by the reference ToMe (r = 4 per block,
 * proportional attention) reduces 65 tokens to 49; the encoder running policy {@code tome} at {@code blocks} must
 * give the same final tokens, in the same order (only a CLS token, so the prefix-first order is the reference's).
 */
class TomeEndToEndTest {

    private static VisionEncoder encoder;

    @BeforeAll
    static void load() {
        encoder = VisionEncoder.load(SharedFixtures.fixture("vit/vit_plain/timm"));
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    private static Policy policy(String r) {
        String yaml = "name: tome\nsteps:\n  - op: tome\n    at: blocks\n    params: {r: " + r + "}\n";
        return PolicyLoader.withDefaults().parse(yaml, false, "tome.yaml", "tome", null);
    }

    @ParameterizedTest(name = "r: {0}")
    @ValueSource(strings = {"4", "[4, 4, 4, 4]"})
    void matchesReferenceToMeOnTimmViT(String r) {
        try (NDManager m = NDManager.newBaseManager();
                SafetensorsFile f = SafetensorsFile.open(SharedFixtures.fixture("tome/vit_plain_r4.safetensors"))) {
            NDArray pixels = f.load("pixel_values", m);
            NDArray expected = f.load("final", m);
            EncoderOutput out = encoder.encode(pixels, policy(r), m,
                    EncodeOptions.builder().optReconstruct(true).build());
            assertThat(out.finalTokens().getShape()).isEqualTo(new Shape(2, 49, 64));
            double diff = Tolerance.assertClose(out.finalTokens(), expected, 1e-4, "final tokens (r: " + r + ")");
            System.out.printf("tome e2e r: %s: max|final diff| = %.3g%n", r, diff);
            assertThat(out.records()).hasSize(4);
            assertThat(out.records()).allSatisfy(rec -> assertThat(rec.tokensIn() - rec.tokensOut()).isEqualTo(4));
            // sizes: CLS 1, the 48 merged tokens hold all 64 patches
            assertThat(out.state().sizes().get(":, 1:").sum(new int[] {1, 2}).toFloatArray())
                    .containsExactly(64f, 64f);
            // unmerged to the full 8x8 grid for dense heads
            assertThat(out.reconstructed().getShape()).isEqualTo(new Shape(2, 64, 64));
        }
    }

    @Test
    void perBlockListMustMatchTheDepth() {
        try (NDManager m = NDManager.newBaseManager();
                SafetensorsFile f = SafetensorsFile.open(SharedFixtures.fixture("tome/vit_plain_r4.safetensors"))) {
            NDArray pixels = f.load("pixel_values", m);
            assertThatThrownBy(() -> encoder.encode(pixels, policy("[4, 4, 4]"), m))
                    .isInstanceOf(PolicyException.class).hasMessageContaining("step 1 (tome)")
                    .hasMessageContaining("3 values").hasMessageContaining("4 blocks");
        }
    }
}
