package dev.tokenreduce.core.safetensors;

import java.util.Arrays;
import java.util.Objects;

/**
 * One header entry: a tensor's name, element type, shape and byte range {@code [begin, end)} relative to the start
 * of the data section.
 *
 * @param name tensor name
 * @param dtype element type in the file
 * @param shape dimensions, outermost first; empty for a scalar
 * @param begin first byte, relative to the data section
 * @param end one past the last byte, relative to the data section
 */
public record TensorInfo(String name, SafetensorsDType dtype, long[] shape, long begin, long end) {

    public TensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        shape = shape.clone();
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
        }
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("bad byte range [" + begin + ", " + end + ")");
        }
    }

    /** A copy of the shape. */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Number of dimensions (0 for a scalar). */
    public int rank() {
        return shape.length;
    }

    /** Product of the shape (1 for a scalar, 0 when any dimension is 0). */
    public long elementCount() {
        return elementCount(shape);
    }

    /** Bytes in the file, {@code end - begin}. */
    public long byteCount() {
        return end - begin;
    }

    /** Product of {@code shape}; throws {@link ArithmeticException} when it does not fit a long. */
    static long elementCount(long[] shape) {
        for (long d : shape) {
            if (d == 0) {
                return 0; // [huge, huge, 0] is empty, not an overflow
            }
        }
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t
                && name.equals(t.name)
                && dtype == t.dtype
                && Arrays.equals(shape, t.shape)
                && begin == t.begin
                && end == t.end;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape), begin, end);
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape) + " @[" + begin + ", " + end + ")";
    }
}
