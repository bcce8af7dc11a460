package dev.tokenreduce.core;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A two-dimensional token grid, height × width, row-major (token i = y·width + x).
 *
 * @param height rows, at least 1
 * @param width columns, at least 1
 */
public record GridSize(int height, int width) {

    private static final Pattern FORMAT = Pattern.compile("\\s*(\\d+)\\s*[xX×]\\s*(\\d+)\\s*");

    public GridSize {
        if (height < 1 || width < 1) {
            throw new InvalidInputException("grid sizes must be at least 1, got " + height + "x" + width);
        }
    }

    /** A square grid. */
    public static GridSize square(int side) {
        return new GridSize(side, side);
    }

    /**
     * Parses {@code "28x28"}, {@code "20X30"} or a single number {@code "24"} (square).
     *
     * @throws InvalidInputException naming the text when it is not a grid
     */
    public static GridSize parse(String text) {
        if (text == null) {
            throw new InvalidInputException("grid size missing: expected HxW such as 28x28");
        }
        Matcher m = FORMAT.matcher(text);
        try {
            if (m.matches()) {
                return new GridSize(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
            }
            if (text.trim().matches("\\d+")) {
                return square(Integer.parseInt(text.trim()));
            }
        } catch (NumberFormatException e) {
            throw new InvalidInputException("grid size out of range: '" + text + "'", e);
        }
        throw new InvalidInputException("malformed grid size '" + text + "': expected HxW such as 28x28");
    }

    /** Number of cells, height × width. */
    public int cells() {
        return Math.multiplyExact(height, width);
    }

    @Override
    public String toString() {
        return height + "x" + width;
    }
}
