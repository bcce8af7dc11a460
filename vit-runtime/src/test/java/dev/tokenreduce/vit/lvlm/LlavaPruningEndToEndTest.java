package dev.tokenreduce.vit.lvlm;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tokenreduce.core.op.ReductionRecord;
import dev.tokenreduce.core.policy.Policy;
import dev.tokenreduce.core.policy.PolicyLoader;
import dev.tokenreduce.core.safetensors.SafetensorsFile;
import dev.tokenreduce.core.testing.SharedFixtures;
import dev.tokenreduce.core.testing.Tolerance;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ToDRE (stage 1 at vision-output, stage 2 at decoder layer 3) and TransPrune (decoder session) on the tiny LLaVA
 * against the reference runs in {@code fixtures/llava/todre_e2e} and {@code transprune_e2e} (parameters from the
 * fixtures' manifest). Every tensor of each file is compared.
 */
class LlavaPruningEndToEndTest {

    private static VisionLanguageModel model;
    private static NDManager scope;
    private static NDArray pixels;
    private static long[] ids;

    @BeforeAll
    static void load() {
        model = VisionLanguageModel.load(SharedFixtures.fixture("llava/tiny_llava"));
        scope = NDManager.newBaseManager();
        try (SafetensorsFile ref = SafetensorsFile.open(SharedFixtures.fixture("llava/tiny_llava_prefill.safetensors"))) {
            pixels = ref.load("pixel_values", scope);
            ids = ref.readLongs("input_ids");
        }
    }

    @AfterAll
    static void close() {
        scope.close();
        model.close();
    }

    static Policy policy(String... lines) {
        return PolicyLoader.withDefaults().parse(String.join("\n", lines), false, "test.yaml", "test", null);
    }

    private static Policy todre(double tau) {
        return policy("steps:",
                "  - op: todre-diversity",
                "    at: vision-output",
                "    params: {keep: 16, mode: max-sum, pivot: cls}",
                "  - op: todre-relevance",
                "    at: {decoder-layer: 3}",
                "    params: {tau: " + tau + "}");
    }

    private static List<String> names(SafetensorsFile f) {
        return f.names().stream().sorted().collect(Collectors.toList());
    }

    private static void report(String name, double diff) {
        System.out.printf("max|a-b| %-45s %.3e%n", name, diff);
    }

    private static ReductionRecord record(Generation g, String op) {
        return g.records().stream().filter(r -> r.op().equals(op)).findFirst().orElseThrow();
    }

    @Test
    void todreStageOneAndTwoMatchTheReference() {
        try (NDManager call = scope.newSubManager();
                SafetensorsFile ref = SafetensorsFile.open(SharedFixtures.fixture("llava/todre_e2e.safetensors"))) {
            assertThat(names(ref)).containsExactly("kept_image_indices", "last_logits_tau_drop",
                    "last_logits_tau_keep", "ratio_text_to_visual", "ratio_visual_to_text", "selection_order");
            long[] kept = ref.readLongs("kept_image_indices");
            long[] order = ref.readLongs("selection_order");

            Generation keep = model.prefill(pixels, ids, todre(0.343578), call);
            ReductionRecord stage1 = record(keep, "todre-diversity");
            assertThat((int[]) stage1.details().get("selection-order"))
                    .containsExactly(java.util.Arrays.stream(order).mapToInt(Math::toIntExact).toArray());
            assertThat(keep.state().visualIndex().toLongArray()).containsExactly(kept);
            ReductionRecord stage2 = record(keep, "todre-relevance");
            assertThat(stage2.details()).containsEntry("dropped", false).containsEntry("layer", 3);
            double tv = (double) stage2.details().get("alpha-text-to-visual");
            double vt = (double) stage2.details().get("alpha-visual-to-text");
            report("todre_e2e ratio_text_to_visual", Tolerance.assertClose(new float[] {(float) tv},
                    ref.readFloats("ratio_text_to_visual"), 1e-4, "ratio_text_to_visual"));
            report("todre_e2e ratio_visual_to_text", Tolerance.assertClose(new float[] {(float) vt},
                    ref.readFloats("ratio_visual_to_text"), 1e-4, "ratio_visual_to_text"));
            assertThat(keep.state().layout().total()).isEqualTo(6 + 16 + 8);
            // the stage-1 sequence is the decoder's input: contiguous position ids
            assertThat(keep.state().positionIds().toLongArray())
                    .containsExactly(java.util.stream.LongStream.range(0, 30).toArray());
            report("todre_e2e last_logits_tau_keep", Tolerance.assertClose(keep.lastLogits(),
                    ref.load("last_logits_tau_keep", call), 1e-4, "last_logits_tau_keep"));

            Generation drop = model.prefill(pixels, ids, todre(0.737156), call);
            assertThat(record(drop, "todre-relevance").details()).containsEntry("dropped", true);
            assertThat(drop.state().layout().visual()).isZero();
            assertThat(drop.state().positionIds().toLongArray())
                    .containsExactly(0, 1, 2, 3, 4, 5, 22, 23, 24, 25, 26, 27, 28, 29); // kept after the drop
            report("todre_e2e last_logits_tau_drop", Tolerance.assertClose(drop.lastLogits(),
                    ref.load("last_logits_tau_drop", call), 1e-4, "last_logits_tau_drop"));
            // layers <= 3 cached the 30-token sequence, layer 4 only the 14 that remain
            assertThat(drop.cache().length(2)).isEqualTo(30);
            assertThat(drop.cache().length(3)).isEqualTo(14);
        }
    }

    @Test
    void transPruneStagesAndLogitsMatchTheReference() {
        try (NDManager call = scope.newSubManager();
                SafetensorsFile ref = SafetensorsFile.open(SharedFixtures.fixture("llava/transprune_e2e.safetensors"))) {
            assertThat(names(ref)).containsExactly("kept_after_stage0", "kept_after_stage1", "last_logits");
            Policy p = policy("steps:",
                    "  - op: transprune",
                    "    at: decoder",
                    "    params: {accumulate-layers: [1, 2], prune-after: [1, 2], keep: [0.75, 0.25], alpha: 0.5,",
                    "             direction: code, positions: renumber}");
            Generation g = model.prefill(pixels, ids, p, call);
            List<ReductionRecord> stages = g.records().stream().filter(r -> r.op().equals("transprune"))
                    .collect(Collectors.toList());
            assertThat(stages).hasSize(2);
            for (int s = 0; s < 2; s++) {
                long[] expected = ref.readLongs("kept_after_stage" + s);
                assertThat((int[]) stages.get(s).details().get("kept")).as("stage %d", s)
                        .containsExactly(java.util.Arrays.stream(expected).mapToInt(Math::toIntExact).toArray());
            }
            assertThat(g.state().visualIndex().toLongArray()).containsExactly(ref.readLongs("kept_after_stage1"));
            assertThat(g.state().layout().total()).isEqualTo(6 + 16 + 8);
            assertThat(g.state().positionIds().toLongArray()).containsExactly(
                    java.util.stream.LongStream.range(0, 30).toArray());
            report("transprune_e2e last_logits", Tolerance.assertClose(g.lastLogits(), ref.load("last_logits", call),
                    1e-4, "last_logits"));
            assertThat(g.cache().length(0)).isEqualTo(78);
            assertThat(g.cache().length(1)).isEqualTo(6 + 48 + 8);
            assertThat(g.cache().length(2)).isEqualTo(30);
        }
    }
}
