package dev.tokenreduce.clustering.tome;

import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.op.Params;
import dev.tokenreduce.core.policy.PolicyException;
import java.util.List;

/**
 * ToMe's r per block: one value for every block, or a list with one value per block (a block whose r is 0 merges
 * nothing).
 */
public final class TomeSchedule {

    private final int constant;
    private final List<Integer> perBlock;

    private TomeSchedule(int constant, List<Integer> perBlock) {
        this.constant = constant;
        this.perBlock = perBlock == null ? null : List.copyOf(perBlock);
    }

    /** The same r in every block. */
    public static TomeSchedule constant(int r) {
        if (r < 0) {
            throw new InvalidInputException("tome: r must be >= 0, got " + r);
        }
        return new TomeSchedule(r, null);
    }

    /** One r per block; the model must have exactly {@code r.size()} blocks. */
    public static TomeSchedule perBlock(List<Integer> r) {
        if (r.isEmpty()) {
            throw new InvalidInputException("tome: the r list must not be empty");
        }
        for (int i = 0; i < r.size(); i++) {
            if (r.get(i) == null || r.get(i) < 0) {
                throw new InvalidInputException("tome: r must be >= 0, got " + r.get(i) + " for block " + i);
            }
        }
        return new TomeSchedule(-1, r);
    }

    /**
     * Reads field {@code key}: a number (every block) or a list (YAML/JSON list, or a comma-separated string on the
     * command line), with errors naming the policy step and field.
     */
    public static TomeSchedule fromParams(Params params, String key) {
        Object raw = params.asMap().get(key);
        boolean list = raw instanceof List<?> || (raw instanceof String s && (s.contains(",") || s.contains("[")));
        if (list) {
            List<Integer> values = params.requireIntList(key);
            for (int i = 0; i < values.size(); i++) {
                if (values.get(i) < 0) {
                    throw params.invalid(key, "must be >= 0 in every block, got " + values.get(i) + " for block " + i);
                }
            }
            return perBlock(values);
        }
        int r = params.requireInt(key);
        if (r < 0) {
            throw params.invalid(key, "must be >= 0, got " + r);
        }
        return constant(r);
    }

    /** Whether r is given per block (a list). */
    public boolean isPerBlock() {
        return perBlock != null;
    }

    /** The values per block, or {@code null} for a constant r. */
    public List<Integer> perBlockValues() {
        return perBlock;
    }

    /**
     * The r of block {@code block} (0-based).
     *
     * @throws InvalidInputException when the list has no value for that block
     */
    public int rAt(int block) {
        if (perBlock == null) {
            return constant;
        }
        if (block >= perBlock.size()) {
            throw new InvalidInputException("tome: 'r' lists " + perBlock.size() + " values (one per block) but the"
                    + " model runs block " + block + " (0-based)");
        }
        return perBlock.get(block);
    }

    /** Fails when a per-block list does not have one value per block of a {@code depth}-block model. */
    public void checkDepth(int depth) {
        if (perBlock != null && perBlock.size() != depth) {
            throw new PolicyException("field 'r': lists " + perBlock.size() + " values (one per block) but the model"
                    + " has " + depth + " blocks");
        }
    }

    @Override
    public String toString() {
        return perBlock == null ? Integer.toString(constant) : perBlock.toString();
    }
}
