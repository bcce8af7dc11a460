package dev.tokenreduce.cli.apply;

import dev.tokenreduce.core.GridSize;
import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.core.op.Params;
import java.util.LinkedHashMap;
import java.util.Map;

/** Helpers for adapters that take layout parameters besides the operator's own. */
final class AdapterParams {

    private AdapterParams() {}

    /** The parameters without {@code keys} (layout keys the adapter handles), with the same origin. */
    static Params without(Params params, String... keys) {
        Map<String, Object> rest = new LinkedHashMap<>(params.asMap());
        for (String k : keys) {
            rest.remove(k);
        }
        return new Params(rest, params.where());
    }

    /**
     * The {@code grid} parameter, or a square grid when {@code tokens} is a perfect square.
     *
     * @throws InvalidInputException when neither gives a grid of {@code tokens} cells
     */
    static GridSize gridOrSquare(Params params, long tokens, String op) {
        if (params.has("grid")) {
            GridSize g = params.requireGrid("grid");
            if (g.cells() != tokens) {
                throw params.invalid("grid", "holds " + g.cells() + " cells but the input has " + tokens + " tokens");
            }
            return g;
        }
        long side = Math.round(Math.sqrt((double) tokens));
        if (side * side != tokens) {
            throw new InvalidInputException("apply " + op + ": " + tokens + " tokens do not form a square grid;"
                    + " give --param grid=HxW");
        }
        return GridSize.square((int) side);
    }
}
