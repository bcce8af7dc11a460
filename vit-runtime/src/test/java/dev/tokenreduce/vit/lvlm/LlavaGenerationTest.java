package dev.tokenreduce.vit.lvlm;

import static dev.tokenreduce.vit.lvlm.LlavaPruningEndToEndTest.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.policy.Policy;
import dev.tokenreduce.core.policy.PolicyException;
import dev.tokenreduce.core.safetensors.SafetensorsFile;
import dev.tokenreduce.core.testing.SharedFixtures;
import dev.tokenreduce.core.testing.Tolerance;
import dev.tokenreduce.pruning.PositionIds;
import java.util.Arrays;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Prompts, policies at the LVLM hook points, decoding options and bad input. */
class LlavaGenerationTest {

    private static VisionLanguageModel model;
    private static NDManager scope;
    private static NDArray pixels;
    private static long[] ids;
    private static long[] greedy;
    private static float[] refLast;
    private static float[] cls;

    @BeforeAll
    static void load() {
        model = VisionLanguageModel.load(SharedFixtures.fixture("llava/tiny_llava"));
        scope = NDManager.newBaseManager();
        try (SafetensorsFile ref = SafetensorsFile.open(SharedFixtures.fixture("llava/tiny_llava_prefill.safetensors"))) {
            pixels = ref.load("pixel_values", scope);
            ids = ref.readLongs("input_ids");
            greedy = ref.readLongs("greedy_tokens");
            refLast = ref.load("prefill_logits", scope).get(":, -1, :").toFloatArray();
            cls = ref.readFloats("vision_cls_attention");
        }
    }

    @AfterAll
    static void close() {
        scope.close();
        model.close();
    }

    private static long[] withImage(long[] prefix, int repeats, long[] suffix) {
        return LongStream.concat(LongStream.concat(Arrays.stream(prefix), LongStream.generate(() -> 299).limit(repeats)),
                Arrays.stream(suffix)).toArray();
    }

    @Test
    void aPlaceholderRepeatedPerFeatureIsTheSamePrompt() {
        try (NDManager m = scope.newSubManager()) {
            long[] repeated = withImage(Arrays.copyOfRange(ids, 0, 6), 64, Arrays.copyOfRange(ids, 7, ids.length));
            Generation g = model.prefill(pixels, repeated, Policy.none(), m);
            Tolerance.assertClose(g.lastLogits().toFloatArray(), refLast, 1e-4, "repeated placeholder");
            assertThat(g.state().layout().prefix()).isEqualTo(6);
            assertThat(g.state().layout().suffix()).isEqualTo(8);
        }
    }

    @Test
    void badPromptsAndPixelsAreInputErrors() {
        try (NDManager m = scope.newSubManager()) {
            long[] none = Arrays.stream(ids).filter(i -> i != 299).toArray();
            assertThatThrownBy(() -> model.prefill(pixels, none, Policy.none(), m))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("no image placeholder (id 299)");
            long[] two = withImage(new long[] {1}, 1, new long[] {5, 299, 7});
            assertThatThrownBy(() -> model.prefill(pixels, two, Policy.none(), m))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("2 image placeholders")
                    .hasMessageContaining("contiguous run of 64");
            long[] split = withImage(new long[] {1}, 63, new long[] {5, 299});
            assertThatThrownBy(() -> model.prefill(pixels, split, Policy.none(), m))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("64 image placeholders");
            long[] outside = withImage(new long[] {1, 300}, 1, new long[] {5});
            assertThatThrownBy(() -> model.prefill(pixels, outside, Policy.none(), m))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("input id 300 at position 1")
                    .hasMessageContaining("[0, 300)");
            assertThatThrownBy(() -> model.prefill(pixels.repeat(0, 2), ids, Policy.none(), m))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("one image per prompt");
            assertThatThrownBy(() -> model.prefill(m.zeros(new ai.djl.ndarray.types.Shape(1, 3, 60, 64)), ids,
                    Policy.none(), m)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("multiple of the patch size 8");
            NDArray nan = pixels.duplicate();
            nan.set(new ai.djl.ndarray.index.NDIndex("0, 0, 0, 0"), Float.NaN);
            assertThatThrownBy(() -> model.prefill(nan, ids, Policy.none(), m))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("pixel_values contains NaN");
        }
    }

    @Test
    void policiesWithHookPointsTheModelLacksOrThatCannotCombineAreRejected() {
        try (NDManager m = scope.newSubManager()) {
            Policy block = policy("steps:", "  - op: random", "    at: {block: 1}", "    params: {keep: 8}");
            assertThatThrownBy(() -> model.prefill(pixels, ids, block, m)).isInstanceOf(PolicyException.class)
                    .hasMessageContaining("step 1 (random)").hasMessageContaining("not available in the LLaVA runtime");
            Policy deep = policy("steps:", "  - op: fastv", "    at: {decoder-layer: 5}", "    params: {keep: 8}");
            assertThatThrownBy(() -> model.prefill(pixels, ids, deep, m)).isInstanceOf(PolicyException.class)
                    .hasMessageContaining("beyond the language model's 4 layers");
            Policy both = policy("steps:",
                    "  - op: transprune", "    at: decoder",
                    "    params: {accumulate-layers: [1], prune-after: [1], keep: [0.5]}",
                    "  - op: fastv", "    at: {decoder-layer: 2}", "    params: {keep: 8}");
            assertThatThrownBy(() -> model.prefill(pixels, ids, both, m)).isInstanceOf(PolicyException.class)
                    .hasMessageContaining("cannot combine");
        }
    }

    @Test
    void clsAttentionAtVisionOutputKeepsTheTopTokensOfTheFeatureBlock() {
        try (NDManager m = scope.newSubManager()) {
            Policy p = policy("steps:", "  - op: cls-attention", "    at: vision-output", "    params: {keep: 10}");
            Generation g = model.generate(pixels, ids, p, m, GenerateOptions.builder().optMaxNewTokens(3).build());
            int[] expected = IntStream.range(0, cls.length).boxed()
                    .sorted((a, b) -> Float.compare(cls[b], cls[a])).limit(10).mapToInt(Integer::intValue).sorted()
                    .toArray();
            assertThat(g.state().visualIndex().toLongArray())
                    .containsExactly(Arrays.stream(expected).asLongStream().toArray());
            assertThat(g.state().layout().total()).isEqualTo(24);
            assertThat(g.tokens()).hasSize(3);
            for (int layer = 0; layer < 4; layer++) {
                assertThat(g.cache().length(layer)).isEqualTo(24 + 2);
            }
        }
    }

    @Test
    void visionOutputCanKeepOriginalPositionIds() {
        try (NDManager m = scope.newSubManager()) {
            Policy p = policy("steps:", "  - op: divprune", "    at: vision-output", "    params: {keep: 12}",
                    "  - op: random", "    at: vision-output", "    params: {keep: 6, seed: 3}");
            Generation g = model.generate(pixels, ids, p, m, GenerateOptions.builder().optMaxNewTokens(0)
                    .optVisionOutputPositions(PositionIds.KEEP).build());
            long[] kept = g.state().visualIndex().toLongArray();
            assertThat(kept).hasSize(6).isSorted();
            long[] pos = g.state().positionIds().toLongArray();
            for (int i = 0; i < 6; i++) {
                assertThat(pos[6 + i]).isEqualTo(6 + kept[i]);
            }
            assertThat(pos[pos.length - 1]).isEqualTo(77);
            assertThat(g.records()).extracting(r -> r.op()).containsExactly("divprune", "random");
        }
    }

    @Test
    void fastVShrinksTheLaterLayersAndDecodingContinuesAfterTheLastPosition() {
        try (NDManager m = scope.newSubManager()) {
            Policy p = policy("steps:", "  - op: fastv", "    at: {decoder-layer: 2}", "    params: {keep: 8}");
            Generation g = model.generate(pixels, ids, p, m, GenerateOptions.builder().optMaxNewTokens(4).build());
            assertThat(g.state().layout().visual()).isEqualTo(8);
            assertThat(g.state().positionIds().toLongArray()).endsWith(77); // FastV keeps position ids
            assertThat(g.cache().length(1)).isEqualTo(78 + 3);
            assertThat(g.cache().length(2)).isEqualTo(22 + 3);
            assertThat(g.tokens()).hasSize(4);
        }
    }

    @Test
    void decoderHookStepsRunAfterEveryLayerWithTheLayerIndex() {
        try (NDManager m = scope.newSubManager()) {
            Policy atLayer = policy("steps:", "  - op: fastv", "    at: {decoder-layer: 2}", "    params: {keep: 8}");
            Policy atDecoder = policy("steps:", "  - op: fastv", "    at: decoder", "    params: {layer: 2, keep: 8}",
                    "  - op: todre-relevance", "    at: decoder", "    params: {tau: 1.0, layers: [3]}");
            Generation a = model.prefill(pixels, ids, atLayer, m);
            Generation b = model.prefill(pixels, ids, atDecoder, m);
            assertThat(b.records().get(0).details()).containsEntry("layer", 1).containsKey("skipped");
            assertThat(b.state().layout().visual()).isZero(); // tau 1 drops the 8 FastV kept after layer 3
            long[] keptByA = a.state().visualIndex().toLongArray();
            java.util.List<dev.tokenreduce.core.op.ReductionRecord> fastv = b.records().stream()
                    .filter(r -> r.op().equals("fastv") && !r.details().containsKey("skipped"))
                    .collect(java.util.stream.Collectors.toList());
            assertThat(fastv).hasSize(1);
            assertThat((int[]) fastv.get(0).details().get("kept"))
                    .containsExactly(Arrays.stream(keptByA).mapToInt(Math::toIntExact).toArray());
            assertThat(b.cache().length(3)).isEqualTo(14);
        }
    }

    @Test
    void stopTokensAndSamplingOptions() {
        try (NDManager m = scope.newSubManager()) {
            Generation stop = model.generate(pixels, ids, Policy.none(), m,
                    GenerateOptions.builder().optMaxNewTokens(6).optStopTokens(greedy[1]).build());
            assertThat(stop.tokens()).containsExactly(greedy[0], greedy[1]);
            assertThat(stop.stopReason()).isEqualTo("stop-token");
            GenerateOptions sampled = GenerateOptions.builder().optMaxNewTokens(6).optTemperature(1.5).optSeed(7)
                    .build();
            long[] a = model.generate(pixels, ids, Policy.none(), m, sampled).tokens();
            long[] b = model.generate(pixels, ids, Policy.none(), m, sampled).tokens();
            assertThat(a).containsExactly(b).hasSize(6);
            long[] top1 = model.generate(pixels, ids, Policy.none(), m, GenerateOptions.builder().optMaxNewTokens(6)
                    .optTemperature(2).optTopK(1).build()).tokens();
            assertThat(top1).containsExactly(greedy);
        }
        assertThatThrownBy(() -> GenerateOptions.builder().optMaxNewTokens(-1)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> GenerateOptions.builder().optTemperature(Double.NaN))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void callsLeaveNothingInTheModelsManager() {
        Policy p = policy("steps:",
                "  - op: transprune", "    at: decoder",
                "    params: {accumulate-layers: [1, 2], prune-after: [1, 2], keep: [0.75, 0.25]}");
        try (NDManager m = scope.newSubManager()) {
            model.generate(pixels, ids, p, m, GenerateOptions.builder().optMaxNewTokens(2).build());
        }
        int before = model.retainedArrays();
        try (NDManager m = scope.newSubManager()) {
            model.generate(pixels, ids, p, m, GenerateOptions.builder().optMaxNewTokens(3).build());
            model.generate(pixels, ids, Policy.none(), m, GenerateOptions.builder().optMaxNewTokens(3).build());
        }
        assertThat(model.retainedArrays()).isEqualTo(before);
    }
}
