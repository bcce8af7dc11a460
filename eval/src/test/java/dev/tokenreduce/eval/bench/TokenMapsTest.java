package dev.tokenreduce.eval.bench;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tokenreduce.clustering.pool.PoolOperator;
import dev.tokenreduce.core.Budget;
import dev.tokenreduce.core.GridSize;
import dev.tokenreduce.core.policy.HookPoint;
import dev.tokenreduce.core.op.StepContext;
import dev.tokenreduce.core.token.TokenLayout;
import dev.tokenreduce.core.token.TokenState;
import dev.tokenreduce.pruning.baseline.RandomPruner;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Which picture a final state gets: kept cells only when its visual index counts grid cells. */
class TokenMapsTest {

    private static final GridSize GRID = new GridSize(4, 4);

    private static TokenState input(NDManager m) {
        NDArray tokens = m.randomNormal(new Shape(1, 16, 8));
        return TokenState.builder().setTokens(tokens).setLayout(new TokenLayout(0, 16, 0, GRID)).build();
    }

    private static StepContext step(NDManager m) {
        return StepContext.of(new HookPoint.AfterBlock(1), m);
    }

    @Test
    void selectionsAloneIndexGridCells() {
        try (NDManager m = NDManager.newBaseManager()) {
            TokenState once = new RandomPruner(Budget.count(10), OptionalLong.of(3)).apply(input(m), step(m)).state();
            TokenState twice = new RandomPruner(Budget.count(6), OptionalLong.of(4)).apply(once, step(m)).state();
            for (TokenState s : new TokenState[] {once, twice}) {
                assertThat(TokenMaps.indexesGridCells(s)).isTrue();
            }
        }
    }

    @Test
    void aSelectionAfterAMergeIndexesMergedTokens() {
        try (NDManager m = NDManager.newBaseManager()) {
            TokenState pooled = new PoolOperator(new GridSize(2, 2)).apply(input(m), step(m)).state();
            TokenState kept = new RandomPruner(Budget.count(2), OptionalLong.of(5)).apply(pooled, step(m)).state();
            int[] index = TokenMaps.keptIndices(kept);
            assertThat(index).hasSize(2);
            assertThat(index[0]).isLessThan(4); // positions among the 4 pooled tokens, not grid cells
            assertThat(index[1]).isLessThan(4);
            int[] labels = TokenMaps.restoredLabels(kept, m);
            assertThat(labels).hasSize(16);
            assertThat(TokenMaps.indexesGridCells(kept)).isFalse();
            // a single kept token restores every cell: no consistency check between index and restoration can tell
            TokenState one = new RandomPruner(Budget.count(1), OptionalLong.of(6)).apply(pooled, step(m)).state();
            assertThat(TokenMaps.indexesGridCells(one)).isFalse();
            // a merge clears the index; a selection after it counts merged tokens, and a later one still does
            TokenState again = new RandomPruner(Budget.count(1), OptionalLong.of(7)).apply(kept, step(m)).state();
            assertThat(TokenMaps.indexesGridCells(again)).isFalse();
        }
    }
}
