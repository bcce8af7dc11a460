package dev.tokenreduce.core.safetensors;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SafetensorsHalfFloatsTest {

    private static float f16(int bits) {
        return HalfFloats.f16ToFloat((short) bits);
    }

    private static int toF16(float v) {
        return HalfFloats.floatToF16(v) & 0xFFFF;
    }

    private static float bf16(int bits) {
        return HalfFloats.bf16ToFloat((short) bits);
    }

    private static int toBf16(float v) {
        return HalfFloats.floatToBf16(v) & 0xFFFF;
    }

    @Test
    void widensKnownF16BitPatterns() {
        assertThat(f16(0x3C00)).isEqualTo(1.0f);
        assertThat(f16(0xC100)).isEqualTo(-2.5f);
        assertThat(f16(0x7BFF)).isEqualTo(65504f);
        assertThat(f16(0x0001)).isEqualTo(0x1p-24f); // smallest subnormal
        assertThat(f16(0x03FF)).isEqualTo(1023 * 0x1p-24f); // largest subnormal
        assertThat(f16(0x0400)).isEqualTo(0x1p-14f); // smallest normal
        assertThat(f16(0x7C00)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(f16(0xFC00)).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(f16(0x7E00)).isNaN();
        assertThat(f16(0xFC01)).isNaN();
        assertThat(Float.floatToRawIntBits(f16(0x8000))).isEqualTo(0x80000000); // -0.0 keeps its sign
        assertThat(f16(0x3555)).isEqualTo(0.33325195f);
    }

    @Test
    void narrowsToF16WithRoundHalfToEven() {
        assertThat(toF16(1.0f)).isEqualTo(0x3C00);
        assertThat(toF16(-2.5f)).isEqualTo(0xC100);
        assertThat(toF16(65504f)).isEqualTo(0x7BFF);
        assertThat(toF16(65519f)).isEqualTo(0x7BFF); // below the midpoint to 65536
        assertThat(toF16(65520f)).isEqualTo(0x7C00); // the midpoint rounds to even: infinity
        assertThat(toF16(1e6f)).isEqualTo(0x7C00);
        assertThat(toF16(-1e6f)).isEqualTo(0xFC00);
        assertThat(toF16(1f + 0x1p-11f)).isEqualTo(0x3C00); // tie, even stays
        assertThat(toF16(1f + 3 * 0x1p-11f)).isEqualTo(0x3C02); // tie, odd rounds up
        assertThat(toF16(1f + 0x1p-11f + 0x1p-20f)).isEqualTo(0x3C01); // just above the tie
        assertThat(toF16(0x1p-24f)).isEqualTo(0x0001);
        assertThat(toF16(0x1p-25f)).isEqualTo(0x0000); // tie between 0 and the smallest subnormal
        assertThat(toF16(0x1.8p-25f)).isEqualTo(0x0001);
        assertThat(toF16(3 * 0x1p-25f)).isEqualTo(0x0002); // 1.5 units: tie, rounds to even 2
        assertThat(toF16(0x1p-14f - 0x1p-26f)).isEqualTo(0x0400); // rounds up into the smallest normal
        assertThat(toF16(1e-10f)).isEqualTo(0x0000);
        assertThat(toF16(-1e-10f)).isEqualTo(0x8000);
        assertThat(toF16(Float.MIN_VALUE)).isEqualTo(0x0000);
        assertThat(toF16(Float.POSITIVE_INFINITY)).isEqualTo(0x7C00);
        assertThat(toF16(Float.NEGATIVE_INFINITY)).isEqualTo(0xFC00);
        int nan = toF16(Float.NaN);
        assertThat(nan & 0x7C00).isEqualTo(0x7C00);
        assertThat(nan & 0x03FF).isNotZero();
        // A NaN whose payload lives only in the low float bits must not become infinity.
        assertThat(toF16(Float.intBitsToFloat(0x7F800001)) & 0x03FF).isNotZero();
    }

    @Test
    void everyF16ValueSurvivesWideningAndNarrowing() {
        float previous = Float.NEGATIVE_INFINITY;
        for (int bits = 0; bits <= 0xFFFF; bits++) {
            float v = f16(bits);
            boolean isNaN = (bits & 0x7C00) == 0x7C00 && (bits & 0x03FF) != 0;
            assertThat(Float.isNaN(v)).as("bits %04x", bits).isEqualTo(isNaN);
            if (!isNaN) {
                assertThat(toF16(v)).as("bits %04x", bits).isEqualTo(bits);
            }
            if (bits > 0 && bits <= 0x7C00) {
                assertThat(v).as("monotonic at %04x", bits).isGreaterThan(previous);
            }
            previous = v;
        }
    }

    @Test
    void widensAndNarrowsKnownBf16BitPatterns() {
        assertThat(bf16(0x3F80)).isEqualTo(1.0f);
        assertThat(bf16(0xC020)).isEqualTo(-2.5f);
        assertThat(bf16(0x0001)).isEqualTo(0x1p-133f); // subnormal
        assertThat(bf16(0x7F80)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(bf16(0xFF80)).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(bf16(0x7FC0)).isNaN();
        assertThat(bf16(0x7F7F)).isEqualTo(0x1.FEp127f);
        assertThat(toBf16(1.0f)).isEqualTo(0x3F80);
        assertThat(toBf16(-2.5f)).isEqualTo(0xC020);
        assertThat(toBf16(65504f)).isEqualTo(0x4780); // 65504 is not a bf16 value: rounds to 65536
        assertThat(toBf16(1f + 0x1p-8f)).isEqualTo(0x3F80); // tie, even stays
        assertThat(toBf16(1f + 3 * 0x1p-8f)).isEqualTo(0x3F82); // tie, odd rounds up
        assertThat(toBf16(Float.MAX_VALUE)).isEqualTo(0x7F80);
        assertThat(toBf16(Float.NEGATIVE_INFINITY)).isEqualTo(0xFF80);
        assertThat(toBf16(0x1p-133f)).isEqualTo(0x0001);
        int nan = toBf16(Float.intBitsToFloat(0x7F800001));
        assertThat(bf16(nan)).isNaN();
    }

    @Test
    void everyBf16ValueSurvivesWideningAndNarrowing() {
        for (int bits = 0; bits <= 0xFFFF; bits++) {
            float v = bf16(bits);
            if (!Float.isNaN(v)) {
                assertThat(toBf16(v)).as("bits %04x", bits).isEqualTo(bits);
            }
        }
    }
}
