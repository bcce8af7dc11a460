package dev.tokenreduce.datasets.synthetic;

import java.util.SplittableRandom;

/**
 * A colour pattern evaluated per pixel (RGB on a 0..255 scale). Each shape class has its own texture family, with
 * parameters drawn from the scene's random stream, so texture identifies a class more reliably than colour does.
 */
interface Texture {

    /** Writes the colour at pixel centre (x, y) into {@code rgb}. */
    void shade(double x, double y, double[] rgb);

    /** Sinusoidal bands between two colours. */
    static Texture stripes(SplittableRandom rng, double[] c1, double[] c2) {
        double angle = rng.nextDouble(0, Math.PI);
        double freq = rng.nextDouble(0.35, 0.9);
        double phase = rng.nextDouble(0, 2 * Math.PI);
        double cos = StrictMath.cos(angle);
        double sin = StrictMath.sin(angle);
        return (x, y, rgb) -> mix(c1, c2, 0.5 + 0.5 * StrictMath.sin(freq * (x * cos + y * sin) + phase), rgb);
    }

    /** A rotated checkerboard. */
    static Texture checker(SplittableRandom rng, double[] c1, double[] c2) {
        double cell = rng.nextDouble(2.5, 6.0);
        double angle = rng.nextDouble(0, Math.PI / 2);
        double cos = StrictMath.cos(angle);
        double sin = StrictMath.sin(angle);
        return (x, y, rgb) -> {
            long u = (long) Math.floor((x * cos + y * sin) / cell);
            long v = (long) Math.floor((-x * sin + y * cos) / cell);
            mix(c1, c2, ((u + v) & 1) == 0 ? 0.0 : 1.0, rgb);
        };
    }

    /** A linear gradient with fine per-pixel grain. */
    static Texture gradientGrain(SplittableRandom rng, double[] c1, double[] c2, double span) {
        double angle = rng.nextDouble(0, 2 * Math.PI);
        double cos = StrictMath.cos(angle) / span;
        double sin = StrictMath.sin(angle) / span;
        double x0 = rng.nextDouble(0, span);
        long grainSeed = rng.nextLong();
        double grain = rng.nextDouble(0.15, 0.3);
        return (x, y, rgb) -> {
            double t = clamp01(((x - x0) * cos + (y - x0) * sin) * 0.5 + 0.5);
            double g = (Hashing.unit(grainSeed, (int) x, (int) y) - 0.5) * 2 * grain;
            mix(c1, c2, clamp01(t + g), rgb);
        };
    }

    /** Regularly spaced round spots on a base colour. */
    static Texture spots(SplittableRandom rng, double[] base, double[] spot) {
        double spacing = rng.nextDouble(5.0, 9.0);
        double radius = spacing * rng.nextDouble(0.22, 0.38);
        double angle = rng.nextDouble(0, Math.PI / 2);
        double cos = StrictMath.cos(angle);
        double sin = StrictMath.sin(angle);
        return (x, y, rgb) -> {
            double u = x * cos + y * sin;
            double v = -x * sin + y * cos;
            double du = u - spacing * Math.floor(u / spacing) - spacing / 2;
            double dv = v - spacing * Math.floor(v / spacing) - spacing / 2;
            mix(base, spot, du * du + dv * dv <= radius * radius ? 1.0 : 0.0, rgb);
        };
    }

    /** Two octaves of value noise at a few-pixel scale: a mottled surface. */
    static Texture mottled(SplittableRandom rng, double[] c1, double[] c2) {
        long seed = rng.nextLong();
        double cell = rng.nextDouble(2.5, 5.0);
        return (x, y, rgb) -> {
            double n = 0.65 * valueNoise(seed, x / cell, y / cell) + 0.35 * valueNoise(seed + 1, x / (cell / 2),
                    y / (cell / 2));
            mix(c1, c2, clamp01((n - 0.5) * 1.8 + 0.5), rgb);
        };
    }

    /**
     * The background: a broad two-colour gradient with large, soft noise and a faint distractor pattern (weak
     * stripes or fine mottling), so "textured" alone does not mean "shape".
     */
    static Texture background(SplittableRandom rng, double[] c1, double[] c2, double size) {
        double angle = rng.nextDouble(0, 2 * Math.PI);
        double cos = StrictMath.cos(angle) / size;
        double sin = StrictMath.sin(angle) / size;
        long seed = rng.nextLong();
        double cell = size * rng.nextDouble(0.12, 0.3);
        double amount = rng.nextDouble(0.2, 0.45);
        boolean stripes = rng.nextBoolean();
        double detail = rng.nextDouble(0.06, 0.2);
        double dAngle = rng.nextDouble(0, Math.PI);
        double dCos = StrictMath.cos(dAngle);
        double dSin = StrictMath.sin(dAngle);
        double dFreq = rng.nextDouble(0.3, 0.8);
        double dCell = rng.nextDouble(2.0, 4.0);
        return (x, y, rgb) -> {
            double t = (x - size / 2) * cos + (y - size / 2) * sin + 0.5;
            double n = (valueNoise(seed, x / cell, y / cell) - 0.5) * 2 * amount;
            double d = stripes ? StrictMath.sin(dFreq * (x * dCos + y * dSin))
                    : (valueNoise(seed + 2, x / dCell, y / dCell) - 0.5) * 2;
            mix(c1, c2, clamp01(t + n + detail * d), rgb);
        };
    }

    /** Smooth lattice noise in [0, 1] (smoothstep-interpolated hashed corner values). */
    static double valueNoise(long seed, double x, double y) {
        int ix = (int) Math.floor(x);
        int iy = (int) Math.floor(y);
        double fx = x - ix;
        double fy = y - iy;
        double sx = fx * fx * (3 - 2 * fx);
        double sy = fy * fy * (3 - 2 * fy);
        double a = Hashing.unit(seed, ix, iy);
        double b = Hashing.unit(seed, ix + 1, iy);
        double c = Hashing.unit(seed, ix, iy + 1);
        double d = Hashing.unit(seed, ix + 1, iy + 1);
        double top = a + (b - a) * sx;
        double bottom = c + (d - c) * sx;
        return top + (bottom - top) * sy;
    }

    private static void mix(double[] c1, double[] c2, double t, double[] out) {
        for (int i = 0; i < 3; i++) {
            out[i] = c1[i] + (c2[i] - c1[i]) * t;
        }
    }

    private static double clamp01(double v) {
        return v < 0 ? 0 : (v > 1 ? 1 : v);
    }
}
