package dev.tokenreduce.core.op;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.policy.HookPoint;
import dev.tokenreduce.core.token.TokenLayout;
import dev.tokenreduce.core.token.TokenState;
import org.junit.jupiter.api.Test;

class AbstractTokenReducerTest {

    /** Keeps the given visual indices, unsorted on purpose. */
    private static final class KeepGiven extends AbstractTokenReducer {
        private final long[] keep;

        KeepGiven(long... keep) {
            this.keep = keep;
        }

        @Override
        public String id() {
            return "keep-given";
        }

        @Override
        protected ReducedVisual reduce(NDArray visual, TokenLayout layout, TokenState state, StepContext context) {
            return ReducedVisual.kept(visual.getManager().create(keep).reshape(1, keep.length));
        }
    }

    @Test
    void selectionKeepsPrefixAndSuffixSortsAndRecords() {
        try (NDManager m = NDManager.newBaseManager()) {
            // layout: 1 prefix, 4 visual (2x2), 2 suffix; token value = position
            NDArray tokens = m.arange(0f, 7f).reshape(1, 7, 1);
            TokenState in = TokenState.builder().setTokens(tokens)
                    .setLayout(new TokenLayout(1, 4, 2, new dev.tokenreduce.core.GridSize(2, 2)))
                    .optPositionIds(dev.tokenreduce.core.Tensors.arangeLong(m, 0, 7).reshape(1, 7)).build();
            Reduction r = new KeepGiven(3, 0).apply(in, StepContext.of(new HookPoint.AfterBlock(1), m));
            assertThat(r.state().tokens().toFloatArray()).containsExactly(0f, 1f, 4f, 5f, 6f);
            assertThat(r.state().positionIds().toLongArray()).containsExactly(0L, 1L, 4L, 5L, 6L);
            assertThat(r.state().visualIndex().toLongArray()).containsExactly(0L, 3L);
            assertThat(r.state().layout()).isEqualTo(TokenLayout.sequence(1, 2, 2));
            assertThat(r.record().tokensIn()).isEqualTo(4);
            assertThat(r.record().tokensOut()).isEqualTo(2);
            assertThat(r.state().records()).containsExactly(r.record());
            // nearest kept on the 2x2 grid: (0,0)->0, (0,1)->0 (tie with 3 at (1,1)? no: dist 1 vs 1 -> lowest), ...
            NDArray restored = r.state().restoration().restore(m.create(new float[] {10f, 20f}).reshape(1, 2, 1));
            assertThat(restored.getShape()).isEqualTo(new Shape(1, 4, 1));
            assertThat(restored.toFloatArray()).containsExactly(10f, 10f, 10f, 20f);
        }
    }

    @Test
    void rejectsNaNAndOutOfRangeIndices() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray tokens = m.create(new float[] {1f, Float.NaN, 3f}).reshape(1, 3, 1);
            TokenState in = TokenState.of(tokens, TokenLayout.sequence(0, 3, 0));
            StepContext ctx = StepContext.of(new HookPoint.Output(), m);
            assertThatThrownBy(() -> new KeepGiven(0).apply(in, ctx))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("NaN");
            TokenState ok = TokenState.of(m.ones(new Shape(1, 3, 1)), TokenLayout.sequence(0, 3, 0));
            assertThatThrownBy(() -> new KeepGiven(5).apply(ok, ctx))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("out of range");
        }
    }
}
