package dev.tokenreduce.datasets.synthetic;

import dev.tokenreduce.core.InvalidInputException;
import dev.tokenreduce.datasets.image.DepthMap;
import dev.tokenreduce.datasets.image.LabelMap;
import dev.tokenreduce.datasets.image.RgbImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded synthetic scenes for tests and the embedded default benchmark: a textured background (class 0) with
 * several overlapping shapes (circle, rectangle, triangle, ellipse, blob; one class each) drawn back to front, with a
 * per-pixel depth map that follows the drawing order.
 *
 * <p>Classes are learnable but not trivial: each class has its own texture family (stripes, checker, gradient with
 * grain, spots, mottled noise) and a preferred hue, but hues overlap and a quarter of the shapes take any hue; shading,
 * global lighting and per-pixel grain vary per scene. Occlusion is limited so every placed shape keeps at least 40% of
 * its area visible.
 *
 * <p>Scene {@code i} is a pure function of (seed, i, size, shape counts): a {@link SplittableRandom} seeded from
 * (seed, i) drives every choice, textures use stateless hashes, and geometry uses {@link StrictMath}, so the bytes
 * are identical on every platform and in any generation order. Depth is quantised to millimetres.
 */
public final class SceneGenerator {

    private static final double[] HUE = {0, 20, 215, 120, 290, 55};
    private static final double MIN_VISIBLE_FRACTION = 0.4;
    private static final int PLACEMENT_TRIES = 30;

    private final long seed;
    private final int size;
    private final int minShapes;
    private final int maxShapes;

    private SceneGenerator(Builder b) {
        this.seed = b.seed;
        this.size = b.size;
        this.minShapes = b.minShapes;
        this.maxShapes = b.maxShapes;
    }

    /** A new builder (defaults: seed 0, 128×128, 3 to 6 shapes). */
    public static Builder builder() {
        return new Builder();
    }

    public long seed() {
        return seed;
    }

    /** Side length of the square scenes. */
    public int size() {
        return size;
    }

    public int minShapes() {
        return minShapes;
    }

    public int maxShapes() {
        return maxShapes;
    }

    /** Number of classes, background included. */
    public int numClasses() {
        return ShapeClass.count();
    }

    /** Class names in label order. */
    public List<String> classNames() {
        return ShapeClass.names();
    }

    /**
     * Scene {@code index} (any non-negative number).
     *
     * @throws InvalidInputException for a negative index
     */
    public SyntheticScene generate(long index) {
        if (index < 0) {
            throw new InvalidInputException("synthetic scene index must be >= 0, got " + index);
        }
        SplittableRandom rng = new SplittableRandom(Hashing.sceneSeed(seed, index));
        int pixels = size * size;

        double[] bg1 = hsv(rng.nextDouble(0, 360), rng.nextDouble(0.05, 0.35), rng.nextDouble(0.35, 0.85));
        double[] bg2 = hsv(rng.nextDouble(0, 360), rng.nextDouble(0.05, 0.35), rng.nextDouble(0.35, 0.85));
        Texture background = Texture.background(rng, bg1, bg2, size);
        double far = rng.nextDouble(9.0, 12.0);
        double near = rng.nextDouble(6.0, 8.0);

        int wanted = minShapes + rng.nextInt(maxShapes - minShapes + 1);
        ShapeClass[] order = ShapeClass.shapes();
        shuffle(order, rng);

        int[] instance = new int[pixels];
        List<Placed> placed = new ArrayList<>();
        int minArea = Math.max(4, (int) (0.012 * pixels));
        int minVisible = Math.max(2, (int) (0.008 * pixels));
        for (int k = 0; k < wanted; k++) {
            ShapeClass cls = k < order.length ? order[k] : order[rng.nextInt(order.length)];
            for (int attempt = 0; attempt < PLACEMENT_TRIES; attempt++) {
                Region region = sampleRegion(rng, cls);
                boolean[] mask = new boolean[pixels];
                int area = region.rasterise(mask, size);
                if (area < minArea) {
                    continue;
                }
                int[] lost = new int[placed.size()];
                for (int p = 0; p < pixels; p++) {
                    if (mask[p] && instance[p] > 0) {
                        lost[instance[p] - 1]++;
                    }
                }
                boolean keepsOthersVisible = true;
                for (int j = 0; j < placed.size(); j++) {
                    Placed other = placed.get(j);
                    int remaining = other.visible - lost[j];
                    if (remaining < Math.max(MIN_VISIBLE_FRACTION * other.area, minVisible)) {
                        keepsOthersVisible = false;
                        break;
                    }
                }
                if (!keepsOthersVisible) {
                    continue;
                }
                int id = placed.size() + 1;
                for (int p = 0; p < pixels; p++) {
                    if (mask[p]) {
                        instance[p] = id;
                    }
                }
                for (int j = 0; j < placed.size(); j++) {
                    placed.get(j).visible -= lost[j];
                }
                placed.add(new Placed(cls, region, mask, area, texture(rng, cls, region),
                        rng.nextDouble(0, 2 * Math.PI), rng.nextDouble(0, 0.18)));
                break;
            }
        }
        assignDepths(rng, placed);

        double lightX = rng.nextDouble(-0.2, 0.2);
        double lightY = rng.nextDouble(-0.2, 0.2);
        long grainSeed = rng.nextLong();
        double grain = rng.nextDouble(3.0, 7.0);

        byte[] rgb = new byte[pixels * 3];
        int[] label = new int[pixels];
        float[] depth = new float[pixels];
        double[] colour = new double[3];
        for (int y = 0; y < size; y++) {
            float backgroundDepth = millimetres(far + (near - far) * y / Math.max(1, size - 1));
            for (int x = 0; x < size; x++) {
                int p = y * size + x;
                int id = instance[p];
                double px = x + 0.5;
                double py = y + 0.5;
                double gain = 1 + lightX * (px / size - 0.5) * 2 + lightY * (py / size - 0.5) * 2;
                if (id == 0) {
                    background.shade(px, py, colour);
                    depth[p] = backgroundDepth;
                } else {
                    Placed s = placed.get(id - 1);
                    s.texture.shade(px, py, colour);
                    gain *= s.shading(px, py);
                    label[p] = s.cls.label();
                    depth[p] = s.depth;
                }
                for (int c = 0; c < 3; c++) {
                    double noise = (Hashing.unit(grainSeed, p, c) - 0.5) * 2 * grain;
                    long v = Math.round(colour[c] * gain + noise);
                    rgb[p * 3 + c] = (byte) Math.max(0, Math.min(255, v));
                }
            }
        }

        List<PlacedShape> shapes = new ArrayList<>();
        for (int j = 0; j < placed.size(); j++) {
            Placed s = placed.get(j);
            BitSet coverage = new BitSet(pixels);
            for (int p = 0; p < pixels; p++) {
                if (s.mask[p]) {
                    coverage.set(p);
                }
            }
            shapes.add(new PlacedShape(s.cls, j, s.depth, s.area, s.visible, coverage));
        }
        return new SyntheticScene(index, new RgbImage(size, size, rgb), new LabelMap(size, size, label),
                new DepthMap(size, size, depth), new LabelMap(size, size, instance), shapes);
    }

    private Region sampleRegion(SplittableRandom rng, ShapeClass cls) {
        double r = rng.nextDouble(0.1, 0.23) * size;
        double cx = rng.nextDouble(0.1, 0.9) * size;
        double cy = rng.nextDouble(0.1, 0.9) * size;
        switch (cls) {
            case CIRCLE:
                return Region.circle(cx, cy, r);
            case RECTANGLE: {
                double a = r * rng.nextDouble(0.7, 1.15);
                return Region.rectangle(cx, cy, a, a * rng.nextDouble(0.45, 1.0), rng.nextDouble(0, Math.PI));
            }
            case TRIANGLE: {
                double start = rng.nextDouble(0, 2 * Math.PI);
                double[] xs = new double[3];
                double[] ys = new double[3];
                for (int i = 0; i < 3; i++) {
                    double angle = start + i * 2 * Math.PI / 3 + rng.nextDouble(-0.35, 0.35);
                    double radius = r * rng.nextDouble(0.9, 1.3);
                    xs[i] = cx + radius * StrictMath.cos(angle);
                    ys[i] = cy + radius * StrictMath.sin(angle);
                }
                return Region.triangle(cx, cy, xs, ys);
            }
            case ELLIPSE: {
                double a = r * rng.nextDouble(1.05, 1.4);
                return Region.ellipse(cx, cy, a, a * rng.nextDouble(0.35, 0.6), rng.nextDouble(0, Math.PI));
            }
            case BLOB: {
                double[] amp = new double[4];
                double[] phase = new double[4];
                for (int k = 0; k < 4; k++) {
                    amp[k] = rng.nextDouble(0.05, 0.16);
                    phase[k] = rng.nextDouble(0, 2 * Math.PI);
                }
                return Region.blob(cx, cy, r * rng.nextDouble(0.85, 1.1), amp, phase);
            }
            default:
                throw new IllegalStateException("not a shape class: " + cls);
        }
    }

    private static Texture texture(SplittableRandom rng, ShapeClass cls, Region region) {
        double[] c1 = classColour(rng, cls);
        double[] c2 = partnerColour(rng, c1);
        return switch (cls) {
            case CIRCLE -> Texture.stripes(rng, c1, c2);
            case RECTANGLE -> Texture.checker(rng, c1, c2);
            case TRIANGLE -> Texture.gradientGrain(rng, c1, c2, 2 * region.reach);
            case ELLIPSE -> Texture.spots(rng, c1, c2);
            case BLOB -> Texture.mottled(rng, c1, c2);
            case BACKGROUND -> throw new IllegalStateException("background has its own texture");
        };
    }

    /** A colour near the class's hue, or (one time in four) any hue. */
    private static double[] classColour(SplittableRandom rng, ShapeClass cls) {
        double hue = rng.nextDouble() < 0.25 ? rng.nextDouble(0, 360) : HUE[cls.label()] + rng.nextDouble(-35, 35);
        return hsv(hue, rng.nextDouble(0.35, 0.9), rng.nextDouble(0.45, 0.95));
    }

    /** A second colour of similar hue and clearly different brightness, for the pattern's contrast. */
    private static double[] partnerColour(SplittableRandom rng, double[] c1) {
        double[] hsv = toHsv(c1);
        double value = hsv[2] > 0.65 ? hsv[2] - rng.nextDouble(0.25, 0.45) : hsv[2] + rng.nextDouble(0.25, 0.45);
        return hsv(hsv[0] + rng.nextDouble(-30, 30), Math.min(1, hsv[1] * rng.nextDouble(0.5, 1.1)),
                Math.max(0.08, Math.min(1, value)));
    }

    /** Depths front-to-back: later shapes strictly nearer, all nearer than the background (≥ 6 m). */
    private static void assignDepths(SplittableRandom rng, List<Placed> placed) {
        double[] d = new double[placed.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = rng.nextDouble(1.0, 5.5);
        }
        Arrays.sort(d);
        for (int j = 0; j < d.length; j++) {
            double v = d[d.length - 1 - j];
            if (j > 0) {
                v = Math.min(v, placed.get(j - 1).depth - 0.02);
            }
            placed.get(j).depth = millimetres(Math.max(0.3, v));
        }
    }

    private static float millimetres(double metres) {
        return (float) (Math.round(metres * 1000) * 0.001);
    }

    private static void shuffle(ShapeClass[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            ShapeClass t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** HSV (hue in degrees, any value; s, v in [0, 1]) to RGB on 0..255. */
    static double[] hsv(double hue, double s, double v) {
        double h = ((hue % 360) + 360) % 360 / 60;
        int sector = (int) Math.floor(h) % 6;
        double f = h - Math.floor(h);
        double p = v * (1 - s);
        double q = v * (1 - s * f);
        double t = v * (1 - s * (1 - f));
        double[] rgb = switch (sector) {
            case 0 -> new double[] {v, t, p};
            case 1 -> new double[] {q, v, p};
            case 2 -> new double[] {p, v, t};
            case 3 -> new double[] {p, q, v};
            case 4 -> new double[] {t, p, v};
            default -> new double[] {v, p, q};
        };
        for (int i = 0; i < 3; i++) {
            rgb[i] *= 255;
        }
        return rgb;
    }

    private static double[] toHsv(double[] rgb) {
        double r = rgb[0] / 255;
        double g = rgb[1] / 255;
        double b = rgb[2] / 255;
        double max = Math.max(r, Math.max(g, b));
        double min = Math.min(r, Math.min(g, b));
        double delta = max - min;
        double hue;
        if (delta == 0) {
            hue = 0;
        } else if (max == r) {
            hue = 60 * (((g - b) / delta) % 6);
        } else if (max == g) {
            hue = 60 * ((b - r) / delta + 2);
        } else {
            hue = 60 * ((r - g) / delta + 4);
        }
        return new double[] {hue, max == 0 ? 0 : delta / max, max};
    }

    @Override
    public String toString() {
        return "SceneGenerator[seed=" + seed + ", size=" + size + ", shapes=" + minShapes + ".." + maxShapes + "]";
    }

    /** A shape being placed, with the state the generator updates. */
    private static final class Placed {
        final ShapeClass cls;
        final Region region;
        final boolean[] mask;
        final int area;
        final Texture texture;
        final double shadeCos;
        final double shadeSin;
        final double shadeStrength;
        int visible;
        float depth;

        Placed(ShapeClass cls, Region region, boolean[] mask, int area, Texture texture, double shadeAngle,
                double shadeStrength) {
            this.cls = cls;
            this.region = region;
            this.mask = mask;
            this.area = area;
            this.visible = area;
            this.texture = texture;
            this.shadeCos = StrictMath.cos(shadeAngle);
            this.shadeSin = StrictMath.sin(shadeAngle);
            this.shadeStrength = shadeStrength;
        }

        /** A soft directional brightness ramp across the shape, like a light from one side. */
        double shading(double x, double y) {
            double t = ((x - region.cx) * shadeCos + (y - region.cy) * shadeSin) / Math.max(1, region.reach);
            return 1 + shadeStrength * Math.max(-1, Math.min(1, t));
        }
    }

    /** Builder of {@link SceneGenerator}; every setting is optional. */
    public static final class Builder {

        private long seed;
        private int size = 128;
        private int minShapes = 3;
        private int maxShapes = 6;

        private Builder() {}

        /** Seed of the whole scene family (default 0). */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Side length in pixels, 32..4096 (default 128). */
        public Builder optSize(int size) {
            this.size = size;
            return this;
        }

        /** Number of shapes attempted per scene, drawn uniformly from [min, max] (default 3..6). */
        public Builder optShapes(int min, int max) {
            this.minShapes = min;
            this.maxShapes = max;
            return this;
        }

        /** The generator. */
        public SceneGenerator build() {
            if (size < 32 || size > 4096) {
                throw new InvalidInputException("synthetic scene size must be in 32..4096, got " + size);
            }
            if (minShapes < 1 || maxShapes < minShapes || maxShapes > 12) {
                throw new InvalidInputException("synthetic shapes per scene must satisfy 1 <= min <= max <= 12, got "
                        + minShapes + ".." + maxShapes);
            }
            return new SceneGenerator(this);
        }
    }
}
