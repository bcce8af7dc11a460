package dev.tokenreduce.core.safetensors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * A tensor ready to be written without DJL: dtype, shape and the little-endian bytes as they go into the file.
 * The factories copy their input, so later changes to it do not affect what is written.
 */
public final class TensorData {

    private final SafetensorsDType dtype;
    private final long[] shape;
    private final ByteBuffer bytes;

    private TensorData(SafetensorsDType dtype, long[] shape, ByteBuffer littleEndian) {
        this.dtype = Objects.requireNonNull(dtype, "dtype");
        this.shape = shape.clone();
        long expected = Math.multiplyExact(elementCount(this.shape), (long) dtype.byteSize());
        if (littleEndian.remaining() != expected) {
            throw new IllegalArgumentException(dtype + " with shape " + Arrays.toString(shape) + " needs " + expected
                    + " bytes, got " + littleEndian.remaining());
        }
        this.bytes = littleEndian.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** An F32 tensor. */
    public static TensorData ofFloats(float[] values, long... shape) {
        return ofFloats(SafetensorsDType.F32, values, shape);
    }

    /** A tensor of a float dtype (F64, F32, F16 or BF16); F16 and BF16 round to nearest even. */
    public static TensorData ofFloats(SafetensorsDType dtype, float[] values, long... shape) {
        checkCount(values.length, shape);
        ByteBuffer out = allocate(values.length, dtype);
        switch (dtype) {
            case F32 -> out.asFloatBuffer().put(values);
            case F64 -> {
                for (float v : values) {
                    out.putDouble(v);
                }
            }
            case F16 -> {
                for (float v : values) {
                    out.putShort(HalfFloats.floatToF16(v));
                }
            }
            case BF16 -> {
                for (float v : values) {
                    out.putShort(HalfFloats.floatToBf16(v));
                }
            }
            default -> throw new IllegalArgumentException("ofFloats needs a float dtype, got " + dtype);
        }
        return new TensorData(dtype, shape, out.rewind());
    }

    /** An F64 tensor. */
    public static TensorData ofDoubles(double[] values, long... shape) {
        checkCount(values.length, shape);
        ByteBuffer out = allocate(values.length, SafetensorsDType.F64);
        out.asDoubleBuffer().put(values);
        return new TensorData(SafetensorsDType.F64, shape, out);
    }

    /** An I64 tensor. */
    public static TensorData ofLongs(long[] values, long... shape) {
        return ofLongs(SafetensorsDType.I64, values, shape);
    }

    /**
     * A tensor of an integer dtype or BOOL.
     *
     * @throws IllegalArgumentException when a value does not fit {@code dtype} (BOOL takes 0 and 1, U8 0..255)
     */
    public static TensorData ofLongs(SafetensorsDType dtype, long[] values, long... shape) {
        checkCount(values.length, shape);
        if (dtype.isFloating()) {
            throw new IllegalArgumentException("ofLongs needs an integer or BOOL dtype, got " + dtype);
        }
        ByteBuffer out = allocate(values.length, dtype);
        for (long v : values) {
            checkFits(dtype, v);
            switch (dtype) {
                case I64 -> out.putLong(v);
                case I32 -> out.putInt((int) v);
                case I16 -> out.putShort((short) v);
                default -> out.put((byte) v);
            }
        }
        return new TensorData(dtype, shape, out.rewind());
    }

    /** An I32 tensor. */
    public static TensorData ofInts(int[] values, long... shape) {
        checkCount(values.length, shape);
        ByteBuffer out = allocate(values.length, SafetensorsDType.I32);
        out.asIntBuffer().put(values);
        return new TensorData(SafetensorsDType.I32, shape, out);
    }

    /** A BOOL tensor. */
    public static TensorData ofBooleans(boolean[] values, long... shape) {
        checkCount(values.length, shape);
        ByteBuffer out = allocate(values.length, SafetensorsDType.BOOL);
        for (boolean v : values) {
            out.put(v ? (byte) 1 : (byte) 0);
        }
        return new TensorData(SafetensorsDType.BOOL, shape, out.rewind());
    }

    /** A tensor from bytes already in the file layout (little-endian); the remaining bytes are copied. */
    public static TensorData ofBytes(SafetensorsDType dtype, long[] shape, ByteBuffer littleEndian) {
        ByteBuffer copy = ByteBuffer.allocate(littleEndian.remaining());
        copy.put(littleEndian.duplicate()).flip();
        return new TensorData(dtype, shape, copy);
    }

    /**
     * The contents of a DJL array of type FLOAT64, FLOAT32, FLOAT16, INT64, INT32, INT8, UINT8 or BOOLEAN.
     *
     * @throws IllegalArgumentException for other types; BFLOAT16 arrays must be converted to FLOAT32 first
     *     (use {@link #ofLongs(SafetensorsDType, long[], long...)} to write I16)
     */
    public static TensorData of(NDArray array) {
        SafetensorsDType dtype = dtypeOf(array.getDataType());
        long[] shape = array.getShape().getShape();
        long count = elementCount(shape);
        if (count == 0) {
            return new TensorData(dtype, shape, ByteBuffer.allocate(0));
        }
        ByteBuffer src = array.toByteBuffer();
        ByteBuffer out = allocate(Math.toIntExact(count), dtype);
        if (src.order() == ByteOrder.LITTLE_ENDIAN || dtype.byteSize() == 1) {
            out.put(src.duplicate());
        } else {
            ByteBuffer in = src.duplicate().order(src.order());
            while (in.hasRemaining()) {
                switch (dtype.byteSize()) {
                    case 2 -> out.putShort(in.getShort());
                    case 4 -> out.putInt(in.getInt());
                    default -> out.putLong(in.getLong());
                }
            }
        }
        return new TensorData(dtype, shape, out.flip());
    }

    /** The dtype written for a DJL type, checked before any bytes are touched. */
    static SafetensorsDType dtypeOf(DataType type) {
        if (type == DataType.BFLOAT16) {
            // Reading BF16 data out of DJL can abort the JVM; widen it with toType(FLOAT32) first.
            throw new IllegalArgumentException("BFLOAT16 arrays cannot be written; convert to FLOAT32 first");
        }
        return SafetensorsDType.fromDjl(type).orElseThrow(() -> new IllegalArgumentException(
                "cannot write a DJL array of type " + type.name() + " (supported: FLOAT64, FLOAT32, FLOAT16, INT64,"
                        + " INT32, INT8, UINT8, BOOLEAN)"));
    }

    /** Element type in the file. */
    public SafetensorsDType dtype() {
        return dtype;
    }

    /** A copy of the shape. */
    public long[] shape() {
        return shape.clone();
    }

    /** Bytes in the file. */
    public long byteCount() {
        return bytes.remaining();
    }

    /** The bytes as written: a read-only little-endian view. */
    public ByteBuffer bytes() {
        return bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    private static ByteBuffer allocate(int count, SafetensorsDType dtype) {
        return ByteBuffer.allocate(Math.multiplyExact(count, dtype.byteSize())).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void checkCount(int length, long[] shape) {
        long expected = elementCount(shape);
        if (expected != length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + expected
                    + " elements, but " + length + " values were given");
        }
    }

    private static long elementCount(long[] shape) {
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
        }
        return TensorInfo.elementCount(shape);
    }

    private static void checkFits(SafetensorsDType dtype, long v) {
        boolean fits = switch (dtype) {
            case I32 -> v == (int) v;
            case I16 -> v == (short) v;
            case I8 -> v == (byte) v;
            case U8 -> v >= 0 && v <= 255;
            case BOOL -> v == 0 || v == 1;
            default -> true;
        };
        if (!fits) {
            throw new IllegalArgumentException("value " + v + " does not fit dtype " + dtype);
        }
    }
}
