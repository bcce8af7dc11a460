package dev.tokenreduce.datasets.synthetic;

/**
 * A filled 2-D shape in pixel coordinates (pixel centres at x + 0.5, y + 0.5). Shapes are tested point by point,
 * so no rasteriser (and no OpenCV) is involved and results are identical on every platform.
 */
abstract class Region {

    final double cx;
    final double cy;
    final double reach;

    Region(double cx, double cy, double reach) {
        this.cx = cx;
        this.cy = cy;
        this.reach = reach;
    }

    abstract boolean contains(double x, double y);

    /** Rasterises into a mask of a size×size image; returns the pixel count. */
    int rasterise(boolean[] mask, int size) {
        int x0 = Math.max(0, (int) Math.floor(cx - reach));
        int x1 = Math.min(size - 1, (int) Math.ceil(cx + reach));
        int y0 = Math.max(0, (int) Math.floor(cy - reach));
        int y1 = Math.min(size - 1, (int) Math.ceil(cy + reach));
        int count = 0;
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                if (contains(x + 0.5, y + 0.5)) {
                    mask[y * size + x] = true;
                    count++;
                }
            }
        }
        return count;
    }

    static Region circle(double cx, double cy, double r) {
        return new Region(cx, cy, r) {
            @Override
            boolean contains(double x, double y) {
                double dx = x - cx;
                double dy = y - cy;
                return dx * dx + dy * dy <= r * r;
            }
        };
    }

    /** A rectangle with half-extents a, b rotated by {@code angle} radians. */
    static Region rectangle(double cx, double cy, double a, double b, double angle) {
        double cos = StrictMath.cos(angle);
        double sin = StrictMath.sin(angle);
        return new Region(cx, cy, Math.sqrt(a * a + b * b)) {
            @Override
            boolean contains(double x, double y) {
                double dx = x - cx;
                double dy = y - cy;
                double u = dx * cos + dy * sin;
                double v = -dx * sin + dy * cos;
                return Math.abs(u) <= a && Math.abs(v) <= b;
            }
        };
    }

    /** An ellipse with semi-axes a, b rotated by {@code angle} radians. */
    static Region ellipse(double cx, double cy, double a, double b, double angle) {
        double cos = StrictMath.cos(angle);
        double sin = StrictMath.sin(angle);
        return new Region(cx, cy, Math.max(a, b)) {
            @Override
            boolean contains(double x, double y) {
                double dx = x - cx;
                double dy = y - cy;
                double u = (dx * cos + dy * sin) / a;
                double v = (-dx * sin + dy * cos) / b;
                return u * u + v * v <= 1;
            }
        };
    }

    /** A triangle given by three vertices (any winding). */
    static Region triangle(double cx, double cy, double[] xs, double[] ys) {
        double reach = 0;
        for (int i = 0; i < 3; i++) {
            reach = Math.max(reach, Math.hypot(xs[i] - cx, ys[i] - cy));
        }
        return new Region(cx, cy, reach) {
            @Override
            boolean contains(double x, double y) {
                double e0 = edge(xs[0], ys[0], xs[1], ys[1], x, y);
                double e1 = edge(xs[1], ys[1], xs[2], ys[2], x, y);
                double e2 = edge(xs[2], ys[2], xs[0], ys[0], x, y);
                return (e0 >= 0 && e1 >= 0 && e2 >= 0) || (e0 <= 0 && e1 <= 0 && e2 <= 0);
            }
        };
    }

    /**
     * A star-shaped blob: radius r·(1 + Σ amp[k]·sin((k+2)·θ + phase[k])) around the centre.
     */
    static Region blob(double cx, double cy, double r, double[] amp, double[] phase) {
        double total = 0;
        for (double a : amp) {
            total += Math.abs(a);
        }
        return new Region(cx, cy, r * (1 + total)) {
            @Override
            boolean contains(double x, double y) {
                double dx = x - cx;
                double dy = y - cy;
                double theta = StrictMath.atan2(dy, dx);
                double radius = r;
                for (int k = 0; k < amp.length; k++) {
                    radius += r * amp[k] * StrictMath.sin((k + 2) * theta + phase[k]);
                }
                return dx * dx + dy * dy <= radius * radius;
            }
        };
    }

    private static double edge(double ax, double ay, double bx, double by, double px, double py) {
        return (bx - ax) * (py - ay) - (by - ay) * (px - ax);
    }
}
