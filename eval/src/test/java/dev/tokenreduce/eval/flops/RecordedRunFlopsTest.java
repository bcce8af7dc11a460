package dev.tokenreduce.eval.flops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenreduce.core.GridSize;
import dev.tokenreduce.core.op.ReductionRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tokenreduce.core.policy.Policy;
import dev.tokenreduce.core.policy.PolicyLoader;
import dev.tokenreduce.core.safetensors.SafetensorsFile;
import dev.tokenreduce.core.testing.SharedFixtures;
import dev.tokenreduce.vit.EncoderOutput;
import dev.tokenreduce.vit.VisionEncoder;
import org.junit.jupiter.api.Test;

class RecordedRunFlopsTest {

    private static final VitShape SHAPE = VitShape.builder().setEmbedDim(64).setDepth(4).setHeads(4).setMlpHidden(256)
            .setPatchSize(8).setGrid(GridSize.square(8)).build();

    @Test
    void expeditHourglassRecordsGiveTheSchedule() {
        List<ReductionRecord> records = List.of(
                new ReductionRecord("expedit-cluster", "block 2", 64, 16, 1, Map.of("iterations", 5, "window", 3)),
                new ReductionRecord("expedit-reconstruct", "output", 16, 16, 1,
                        Map.of("mode", "weighted", "k", 3, "restores", 64)));
        TokenSchedule s = RecordedRunFlops.schedule(SHAPE, records);
        assertThat(s).isEqualTo(TokenSchedule.reducedAfter(4, 65, 2, 17));
        FlopsBreakdown f = RecordedRunFlops.flops(SHAPE, records);
        assertThat(f.component("reducer:expedit-cluster")).isEqualTo(ReducerFlops.expeditClustering(64, 16, 64, 5, 3));
        assertThat(f.component("reducer:expedit-reconstruct"))
                .isEqualTo(ReducerFlops.expeditReconstruction(64, 16, 64, 64, 3));
        assertThat(f.total()).isEqualTo(VitFlops.encoder(SHAPE, s).total()
                .plus(ReducerFlops.expeditClustering(64, 16, 64, 5, 3))
                .plus(ReducerFlops.expeditReconstruction(64, 16, 64, 64, 3)));
    }

    @Test
    void inBlockMergesReduceTheMlpOfTheirBlock() {
        List<ReductionRecord> records = new ArrayList<>();
        int visual = 64;
        for (int b = 0; b < 4; b++) {
            records.add(new ReductionRecord("tome", "blocks", visual, visual - 4, 1, Map.of("block", b, "r", 4)));
            visual -= 4;
        }
        TokenSchedule s = RecordedRunFlops.schedule(SHAPE, records);
        assertThat(s.tokensPerLayer()).containsExactly(65, 61, 57, 53);
        assertThat(s.mlpTokens(0)).isEqualTo(61);
        assertThat(s.outputTokens()).isEqualTo(49);
        FlopsBreakdown f = RecordedRunFlops.flops(SHAPE, records);
        assertThat(f.component("reducer:tome")).isEqualTo(ReducerFlops.tomeMerge(65, 4, 16, 64)
                .plus(ReducerFlops.tomeMerge(61, 4, 16, 64)).plus(ReducerFlops.tomeMerge(57, 4, 16, 64))
                .plus(ReducerFlops.tomeMerge(53, 4, 16, 64)));
    }

    @Test
    void noRecordsIsTheBaselineAndUnknownOpsAreListed() {
        assertThat(RecordedRunFlops.flops(SHAPE, List.of()).total()).isEqualTo(VitFlops.baseline(SHAPE).total());
        FlopsBreakdown f = RecordedRunFlops.flops(SHAPE, List.of(new ReductionRecord("mystery", "block 1", 64, 32, 1,
                Map.of())));
        assertThat(f.components()).containsKey("reducer:mystery (cost not counted)");
        assertThat(f.schedule().compact()).isEqualTo("65×1 → 33×3");
        assertThatThrownBy(() -> RecordedRunFlops.schedule(SHAPE, List.of(new ReductionRecord("x", "decoder", 1, 1, 1,
                Map.of())))).hasMessageContaining("not a vision encoder hook point");
        assertThatThrownBy(() -> RecordedRunFlops.schedule(SHAPE, List.of(new ReductionRecord("x", "block 5", 1, 1, 1,
                Map.of())))).hasMessageContaining("block 5");
    }

    @Test
    void recordsOfARealEncoderRunGiveTheExpectedSchedules() {
        String tome = "steps:\n  - op: tome\n    at: blocks\n    params: {r: 4}\n";
        String expedit = "steps:\n  - op: expedit-cluster\n    at: {block: 2}\n"
                + "    params: {clusters: 4x4, iterations: 5, window: 3, temperature: 0.003}\n"
                + "  - op: expedit-reconstruct\n    at: output\n    params: {k: 3, temperature: 0.003}\n";
        try (VisionEncoder vit = VisionEncoder.load(SharedFixtures.fixture("vit/vit_plain/timm"));
                NDManager scope = NDManager.newBaseManager();
                SafetensorsFile io = SafetensorsFile.open(SharedFixtures.fixture("vit/vit_plain/io_64x64.safetensors"))) {
            NDArray pixels = io.load("pixel_values", scope);
            PolicyLoader loader = PolicyLoader.withDefaults();
            Policy tomePolicy = loader.parse(tome, false, "tome.yaml", "tome", null);
            EncoderOutput out = vit.encode(pixels, tomePolicy, scope);
            TokenSchedule s = RecordedRunFlops.schedule(SHAPE, out.records());
            assertThat(s.tokensPerLayer()).containsExactly(65, 61, 57, 53);
            assertThat(s.outputTokens()).isEqualTo(49).isEqualTo((int) out.finalTokens().getShape().get(1));
            assertThat(RecordedRunFlops.flops(SHAPE, out.records()).component("reducer:tome").total()).isPositive();

            Policy expeditPolicy = loader.parse(expedit, false, "expedit.yaml", "expedit", null);
            EncoderOutput e = vit.encode(pixels, expeditPolicy, scope);
            TokenSchedule hourglass = RecordedRunFlops.schedule(SHAPE, e.records());
            assertThat(hourglass).isEqualTo(TokenSchedule.reducedAfter(4, 65, 2, 17));
            assertThat(hourglass.outputTokens()).isEqualTo((int) e.finalTokens().getShape().get(1));
            FlopsBreakdown f = RecordedRunFlops.flops(SHAPE, e.records());
            assertThat(f.component("reducer:expedit-reconstruct"))
                    .isEqualTo(ReducerFlops.expeditReconstruction(64, 16, 64, 64, 3));
        }
    }
}
