package dev.tokenreduce.datasets.synthetic;

/**
 * Stateless, platform-independent pseudo-random values from integer coordinates (SplitMix64 finaliser), so textures
 * can be evaluated at any pixel in any order with the same result.
 */
final class Hashing {

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Hashing() {}

    /** SplitMix64's finaliser: a bijective mix of all 64 bits. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The seed of scene {@code index} of a generator seeded with {@code seed}. */
    static long sceneSeed(long seed, long index) {
        return mix(mix(seed + GOLDEN) ^ (index * GOLDEN + 0x632BE59BD9B4E019L));
    }

    /** A value uniform in [0, 1) for (seed, a, b). */
    static double unit(long seed, int a, int b) {
        long h = mix(seed ^ mix(((long) a << 32) ^ (b & 0xFFFFFFFFL)));
        return (h >>> 11) * 0x1.0p-53;
    }
}
