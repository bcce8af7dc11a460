package dev.tokenreduce.core.safetensors;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Decodes little-endian element bytes as stored in the file: to Java arrays, or to the native-order layout DJL
 * expects (with F16/BF16 widened to F32). Each method consumes all of {@code src}, a whole number of elements.
 */
final class ElementCodec {

    private ElementCodec() {}

    static void toFloats(SafetensorsDType dtype, ByteBuffer src, float[] dst, int at) {
        ByteBuffer in = src.order(ByteOrder.LITTLE_ENDIAN);
        int n = in.remaining() / dtype.byteSize();
        switch (dtype) {
            case F32 -> in.asFloatBuffer().get(dst, at, n);
            case F64 -> {
                for (int i = 0; i < n; i++) {
                    dst[at + i] = (float) in.getDouble(in.position() + 8 * i);
                }
            }
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    dst[at + i] = HalfFloats.f16ToFloat(in.getShort(in.position() + 2 * i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    dst[at + i] = HalfFloats.bf16ToFloat(in.getShort(in.position() + 2 * i));
                }
            }
            default -> throw new IllegalArgumentException(dtype + " is not a float type");
        }
        in.position(in.limit());
    }

    static void toLongs(SafetensorsDType dtype, ByteBuffer src, long[] dst, int at) {
        ByteBuffer in = src.order(ByteOrder.LITTLE_ENDIAN);
        int n = in.remaining() / dtype.byteSize();
        int p = in.position();
        switch (dtype) {
            case I64 -> in.asLongBuffer().get(dst, at, n);
            case I32 -> {
                for (int i = 0; i < n; i++) {
                    dst[at + i] = in.getInt(p + 4 * i);
                }
            }
            case I16 -> {
                for (int i = 0; i < n; i++) {
                    dst[at + i] = in.getShort(p + 2 * i);
                }
            }
            case I8 -> {
                for (int i = 0; i < n; i++) {
                    dst[at + i] = in.get(p + i);
                }
            }
            case U8 -> {
                for (int i = 0; i < n; i++) {
                    dst[at + i] = in.get(p + i) & 0xFF;
                }
            }
            case BOOL -> {
                for (int i = 0; i < n; i++) {
                    dst[at + i] = in.get(p + i) != 0 ? 1 : 0;
                }
            }
            default -> throw new IllegalArgumentException(dtype + " is not an integer type");
        }
        in.position(in.limit());
    }

    /** Bytes per element after {@link #toNative}: F16, BF16 and I16 widen to 4. */
    static int nativeByteSize(SafetensorsDType dtype) {
        return dtype.djlType().getNumOfBytes();
    }

    /**
     * Appends {@code src}'s elements to {@code dst} in {@code dst}'s (native) order, widening F16/BF16 to F32 and
     * I16 to I32.
     */
    static void toNative(SafetensorsDType dtype, ByteBuffer src, ByteBuffer dst) {
        ByteBuffer in = src.order(ByteOrder.LITTLE_ENDIAN);
        int n = in.remaining() / dtype.byteSize();
        int p = in.position();
        switch (dtype) {
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    dst.putFloat(HalfFloats.f16ToFloat(in.getShort(p + 2 * i)));
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    dst.putFloat(HalfFloats.bf16ToFloat(in.getShort(p + 2 * i)));
                }
            }
            case I16 -> {
                for (int i = 0; i < n; i++) {
                    dst.putInt(in.getShort(p + 2 * i));
                }
            }
            case BOOL -> {
                // torch.bool must hold 0 or 1; normalise any other byte a writer may have produced.
                for (int i = 0; i < n; i++) {
                    dst.put(in.get(p + i) != 0 ? (byte) 1 : (byte) 0);
                }
            }
            default -> {
                if (dtype.byteSize() == 1 || dst.order() == ByteOrder.LITTLE_ENDIAN) {
                    dst.put(in);
                } else {
                    swapInto(dtype.byteSize(), in, dst);
                }
            }
        }
        in.position(in.limit());
    }

    private static void swapInto(int size, ByteBuffer in, ByteBuffer dst) {
        int n = in.remaining() / size;
        int p = in.position();
        for (int i = 0; i < n; i++) {
            switch (size) {
                case 2 -> dst.putShort(in.getShort(p + 2 * i));
                case 4 -> dst.putInt(in.getInt(p + 4 * i));
                default -> dst.putLong(in.getLong(p + 8 * i));
            }
        }
    }
}
