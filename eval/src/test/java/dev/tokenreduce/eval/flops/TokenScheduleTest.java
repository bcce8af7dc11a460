package dev.tokenreduce.eval.flops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TokenScheduleTest {

    @Test
    void stagesGroupEqualLayers() {
        TokenSchedule s = TokenSchedule.reducedAfter(24, 1601, 10, 785);
        assertThat(s.stages()).containsExactly(new TokenSchedule.Stage(0, 10, 1601, 1601),
                new TokenSchedule.Stage(10, 14, 785, 785));
        assertThat(s.outputTokens()).isEqualTo(785);
        assertThat(s.tokensPerLayer()).hasSize(24).startsWith(1601).endsWith(785);
        assertThat(s.toString()).isEqualTo("1601×10 → 785×14");
    }

    @Test
    void reductionAfterTheLastLayerShowsAsOutput() {
        TokenSchedule s = TokenSchedule.reducedAfter(4, 65, 4, 17);
        assertThat(s.compact()).isEqualTo("65×4 ⇒ 17");
        assertThat(TokenSchedule.constant(4, 65).withOutput(17)).isEqualTo(s);
    }

    @Test
    void tableHasOneLinePerLayerAndTheOutput() {
        TokenSchedule s = TokenSchedule.of(new int[] {65, 61, 57}, new int[] {61, 57, 53}, 53);
        String[] lines = s.table().split("\\R");
        assertThat(lines).hasSize(5);
        assertThat(lines[1].trim().split("\\s+")).containsExactly("0", "65", "61");
        assertThat(lines[4].trim().split("\\s+")).containsExactly("output", "53");
        assertThat(s.hasInBlockReduction()).isTrue();
    }

    @Test
    void invalidSchedulesAreRejected() {
        assertThatThrownBy(TokenSchedule::of).hasMessageContaining("at least one layer");
        assertThatThrownBy(() -> TokenSchedule.of(4, 0)).hasMessageContaining("layer 1");
        assertThatThrownBy(() -> TokenSchedule.of(new int[] {1, 2}, new int[] {1}, 1)).hasMessageContaining("differ");
        assertThatThrownBy(() -> TokenSchedule.reducedAfter(4, 10, 5, 2)).hasMessageContaining("after 5 of 4");
    }
}
