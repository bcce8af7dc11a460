package dev.tokenreduce.eval.flops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LlmFlopsTest {

    private static final LlmShape LLAMA = LlmShape.llama7b();

    @Test
    void prefillFollowsTheSpecFormulaWithoutGqa() {
        long n = 600;
        long d = 4096;
        long m = 11008;
        long layer = 8 * n * d * d + 4 * n * n * d + 6 * n * d * m;
        assertThat(LlmFlops.layerMatmul(LLAMA, n)).isEqualTo(layer).isEqualTo(248_748_441_600L);
        FlopsBreakdown f = LlmFlops.prefill(LLAMA, TokenSchedule.constant(32, 600), 1);
        assertThat(f.total().matmul()).isEqualTo(32 * layer + 2L * d * 32000);
        assertThat(f.component("lm-head").matmul()).isEqualTo(2L * 4096 * 32000);
        assertThat(f.total().gflops()).isBetween(7900.0, 8100.0);
    }

    @Test
    void groupedQueryAttentionShrinksTheKeyAndValueProjections() {
        LlmShape gqa = new LlmShape(4096, 2, 32, 8, 11008, 32000);
        assertThat(gqa.kvDim()).isEqualTo(1024);
        long n = 10;
        long expected = 2 * n * 4096 * (4096 + 2 * 1024 + 4096) + 4 * n * n * 4096 + 6 * n * 4096 * 11008;
        assertThat(LlmFlops.layerMatmul(gqa, n)).isEqualTo(expected);
        FlopsBreakdown f = LlmFlops.prefill(gqa, TokenSchedule.constant(2, 10), 1);
        assertThat(f.component("attention-linear").matmul()).isEqualTo(2 * 2 * n * 4096 * (4096 + 2048 + 4096));
    }

    @Test
    void prunedLayersUseTheirOwnTokenCount() {
        TokenSchedule s = TokenSchedule.reducedAfter(32, 640, 2, 100);
        FlopsBreakdown f = LlmFlops.prefill(LLAMA, s, 1);
        long expected = 2 * LlmFlops.layerMatmul(LLAMA, 640) + 30 * LlmFlops.layerMatmul(LLAMA, 100) + 2L * 4096 * 32000;
        assertThat(f.total().matmul()).isEqualTo(expected);
        assertThat(f.perLayer().get(0).matmul()).isGreaterThan(f.perLayer().get(2).matmul());
    }

    @Test
    void decodeStepUsesOneQueryAgainstTheCache() {
        FlopsBreakdown f = LlmFlops.decodeStep(LLAMA, TokenSchedule.constant(32, 601));
        long d = 4096;
        long layer = 8 * d * d + 4 * 601 * d + 6 * d * 11008;
        assertThat(f.total().matmul()).isEqualTo(32 * layer + 2 * d * 32000);
    }

    @Test
    void generationAddsDecodingStepsWithAGrowingCache() {
        LlmShape tiny = new LlmShape(16, 2, 2, 1, 32, 50);
        TokenSchedule s = TokenSchedule.of(12, 8);
        FlopCount g = LlmFlops.generation(tiny, s, 3);
        FlopCount expected = LlmFlops.prefill(tiny, s, 1).total()
                .plus(LlmFlops.decodeStep(tiny, TokenSchedule.of(13, 9)).total())
                .plus(LlmFlops.decodeStep(tiny, TokenSchedule.of(14, 10)).total());
        assertThat(g).isEqualTo(expected);
    }
}
