package dev.tokenreduce.eval.flops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tokenreduce.core.GridSize;
import org.junit.jupiter.api.Test;

class VitFlopsTest {

    @Test
    void vitBase16At224MatchesTheClosedFormAndThePublished17Point6GMacs() {
        FlopsBreakdown f = VitFlops.baseline(VitShape.vitBase16(GridSize.square(14)));
        // patch embedding: 196 patches, 16*16*3 = 768 inputs -> 768 channels
        assertThat(f.component("patch-embed").matmul()).isEqualTo(2L * 196 * 768 * 768).isEqualTo(231_211_008L);
        // one block, n = 197: 8 n C^2 + 4 n^2 C + 4 n C H
        long block = 8L * 197 * 768 * 768 + 4L * 197 * 197 * 768 + 4L * 197 * 768 * 3072;
        assertThat(block).isEqualTo(2_907_909_120L);
        assertThat(VitFlops.blockMatmul(197, 768, 3072)).isEqualTo(block);
        assertThat(f.total().matmul()).isEqualTo(231_211_008L + 12 * block).isEqualTo(35_126_120_448L);
        // The "17.6 GFLOPs" quoted for ViT-B/16 counts multiply-adds (fvcore); in FLOPs (2 per MAC) it is 35.1.
        assertThat(f.total().macs() / 1e9).isCloseTo(17.56, within(0.01));
        assertThat(f.perLayer()).hasSize(12).allMatch(l -> l.matmul() == block);
    }

    @Test
    void vitBase16OtherFlopsFollowTheStatedConventions() {
        FlopsBreakdown f = VitFlops.baseline(VitShape.vitBase16(GridSize.square(14)));
        long n = 197;
        long c = 768;
        long h = 3072;
        long perBlock = 2 * 5 * n * c      // two LayerNorms
                + 2 * n * c                // two residual adds
                + n * 3 * c + n * c        // qkv and proj biases
                + 5 * 12 * n * n           // softmax over 12 heads
                + n * h + 8 * n * h + n * c; // fc1 bias, GELU, fc2 bias
        long patch = 196 * c + n * c;      // patch bias, position embedding
        long finalNorm = 5 * n * c;
        assertThat(f.total().other()).isEqualTo(patch + 12 * perBlock + finalNorm);
        // small compared with the matrix products
        assertThat((double) f.total().other() / f.total().matmul()).isLessThan(0.01);
    }

    @Test
    void vitLarge16At640SegmenterBackboneIsInTheHundredsOfGMacs() {
        VitShape shape = VitShape.vitLarge16(GridSize.square(40));
        FlopsBreakdown f = VitFlops.baseline(shape);
        long n = 1601;
        long block = 8L * n * 1024 * 1024 + 4L * n * n * 1024 + 4L * n * 1024 * 4096;
        long patch = 2L * 1600 * 768 * 1024;
        assertThat(f.total().matmul()).isEqualTo(patch + 24 * block).isEqualTo(1_221_461_114_880L);
        assertThat(f.total().macs() / 1e9).isCloseTo(610.73, within(0.01));
        assertThat(f.schedule().compact()).isEqualTo("1601×24");
    }

    @Test
    void hourglassScheduleWithExpeditClusteringAndReconstruction() {
        VitShape shape = VitShape.vitLarge16(GridSize.square(40));
        TokenSchedule schedule = TokenSchedule.reducedAfter(24, 1601, 10, 1 + 28 * 28);
        FlopsBreakdown f = VitFlops.encoder(shape, schedule)
                .plus("reducer:expedit-cluster", ReducerFlops.expeditClustering(1600, 784, 1024, 5, 5))
                .plus("reducer:expedit-reconstruct", ReducerFlops.expeditReconstruction(1600, 784, 1024, 1024, 20));
        long patch = 2L * 1600 * 768 * 1024;
        long encoder = patch + 10 * VitFlops.blockMatmul(1601, 1024, 4096) + 14 * VitFlops.blockMatmul(785, 1024, 4096);
        long cluster = 5L * 4 * 1600 * 25 * 1024;
        long reconstruct = 2L * 1600 * 784 * 1024 + 2L * 1600 * 20 * 1024;
        assertThat(f.reducers().matmul()).isEqualTo(cluster + reconstruct);
        assertThat(f.total().matmul()).isEqualTo(encoder + cluster + reconstruct);
        double baseline = VitFlops.baseline(shape).total().matmul();
        assertThat(f.total().matmul() / baseline).isBetween(0.6, 0.75);
        assertThat(schedule.compact()).isEqualTo("1601×10 → 785×14");
        assertThat(f.describe()).contains("reducer:expedit-cluster").contains("1601×10 → 785×14")
                .contains("    23        785        785");
    }

    @Test
    void inBlockReductionCountsAttentionAndMlpTokensSeparately() {
        VitShape shape = VitShape.builder().setEmbedDim(64).setDepth(2).setHeads(4).setMlpHidden(256)
                .setPatchSize(8).setGrid(GridSize.square(8)).build();
        TokenSchedule tome = TokenSchedule.of(new int[] {65, 61}, new int[] {61, 57}, 57);
        FlopsBreakdown f = VitFlops.encoder(shape, tome);
        long attnLinear = 2L * 65 * 64 * 192 + 2L * 65 * 64 * 64 + 2L * 61 * 64 * 192 + 2L * 61 * 64 * 64;
        long attn = 4L * 65 * 65 * 64 + 4L * 61 * 61 * 64;
        long mlp = 4L * 61 * 64 * 256 + 4L * 57 * 64 * 256;
        assertThat(f.component("attention-linear").matmul()).isEqualTo(attnLinear);
        assertThat(f.component("attention").matmul()).isEqualTo(attn);
        assertThat(f.component("mlp").matmul()).isEqualTo(mlp);
        assertThat(tome.compact()).isEqualTo("65/61×1 → 61/57×1");
    }

    @Test
    void preNormAndBiasOptionsChangeOnlyTheOtherCount() {
        GridSize g = GridSize.square(4);
        VitShape plain = VitShape.builder().setEmbedDim(32).setDepth(1).setHeads(2).setMlpHidden(64)
                .setPatchSize(4).setGrid(g).build();
        VitShape clip = VitShape.builder().setEmbedDim(32).setDepth(1).setHeads(2).setMlpHidden(64)
                .setPatchSize(4).setGrid(g).optPreNorm(true).optQkvBias(false).build();
        FlopCount a = VitFlops.baseline(plain).total();
        FlopCount b = VitFlops.baseline(clip).total();
        assertThat(b.matmul()).isEqualTo(a.matmul());
        assertThat(b.other() - a.other()).isEqualTo(5L * 17 * 32 - 17L * 96);
    }

    @Test
    void scheduleOfTheWrongLengthIsRejected() {
        VitShape shape = VitShape.vitBase16(GridSize.square(14));
        assertThatThrownBy(() -> VitFlops.encoder(shape, TokenSchedule.constant(11, 197)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("11 layers")
                .hasMessageContaining("12 blocks");
        assertThatThrownBy(() -> VitShape.builder().setEmbedDim(100).setDepth(1).setHeads(3).setMlpHidden(4)
                .setPatchSize(2).setGrid(g()).build()).hasMessageContaining("not divisible");
    }

    private static GridSize g() {
        return GridSize.square(2);
    }
}
