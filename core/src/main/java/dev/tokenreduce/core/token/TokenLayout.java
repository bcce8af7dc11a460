package dev.tokenreduce.core.token;

import dev.tokenreduce.core.GridSize;
import dev.tokenreduce.core.InvalidInputException;

/**
 * Where the reducible (visual) tokens sit in a sequence: {@code prefix} tokens first (CLS, distillation,
 * registers, or an LVLM's system prompt), then {@code visual} tokens, then {@code suffix} tokens (an LVLM's
 * instruction text). Operators only ever touch the visual span; prefix and suffix are carried unchanged.
 *
 * @param prefix tokens before the visual span (never reduced)
 * @param visual reducible tokens
 * @param suffix tokens after the visual span (never reduced)
 * @param grid the 2-D arrangement of the visual tokens, or {@code null} when they no longer form a grid
 */
public record TokenLayout(int prefix, int visual, int suffix, GridSize grid) {

    public TokenLayout {
        if (prefix < 0 || visual < 0 || suffix < 0) {
            throw new InvalidInputException("token counts must be non-negative: prefix=" + prefix
                    + " visual=" + visual + " suffix=" + suffix);
        }
        if (grid != null && grid.cells() != visual) {
            throw new InvalidInputException("grid " + grid + " holds " + grid.cells() + " tokens but the visual span has "
                    + visual);
        }
    }

    /** A ViT sequence: {@code prefix} prefix tokens then an h×w patch grid. */
    public static TokenLayout grid(int prefix, int height, int width) {
        GridSize g = new GridSize(height, width);
        return new TokenLayout(prefix, g.cells(), 0, g);
    }

    /** A ViT sequence: {@code prefix} prefix tokens then a patch grid. */
    public static TokenLayout grid(int prefix, GridSize grid) {
        return new TokenLayout(prefix, grid.cells(), 0, grid);
    }

    /** Visual tokens with no 2-D arrangement (after a selection, or an LVLM sequence). */
    public static TokenLayout sequence(int prefix, int visual, int suffix) {
        return new TokenLayout(prefix, visual, suffix, null);
    }

    /** Total sequence length. */
    public int total() {
        return prefix + visual + suffix;
    }

    public boolean hasGrid() {
        return grid != null;
    }

    /** The grid, or a clear error naming the operator that needs one. */
    public GridSize requireGrid(String who) {
        if (grid == null) {
            throw new InvalidInputException(who + " needs visual tokens on a 2-D grid, but the layout has none"
                    + " (an earlier step already reduced them to an unordered set)");
        }
        return grid;
    }

    /** The same prefix and suffix around a new visual span. */
    public TokenLayout withVisual(int newVisual, GridSize newGrid) {
        return new TokenLayout(prefix, newVisual, suffix, newGrid);
    }

    @Override
    public String toString() {
        return "prefix=" + prefix + " visual=" + visual + (grid != null ? " (" + grid + ")" : "") + " suffix=" + suffix;
    }
}
