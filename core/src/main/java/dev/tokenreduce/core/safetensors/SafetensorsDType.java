package dev.tokenreduce.core.safetensors;

import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The element types this library reads and writes, named as in the safetensors header. */
public enum SafetensorsDType {
    F64(8, DataType.FLOAT64, true),
    F32(4, DataType.FLOAT32, true),
    // Half types are widened to FLOAT32 in Java: DJL 0.36 aborts the JVM on BF16.
    F16(2, DataType.FLOAT32, true),
    BF16(2, DataType.FLOAT32, true),
    I64(8, DataType.INT64, false),
    I32(4, DataType.INT32, false),
    // DJL 0.36's PyTorch engine aborts the JVM on INT16 too, so I16 is widened to INT32.
    I16(2, DataType.INT32, false),
    I8(1, DataType.INT8, false),
    U8(1, DataType.UINT8, false),
    BOOL(1, DataType.BOOLEAN, false);

    private final int byteSize;
    private final DataType djlType;
    private final boolean floating;

    SafetensorsDType(int byteSize, DataType djlType, boolean floating) {
        this.byteSize = byteSize;
        this.djlType = djlType;
        this.floating = floating;
    }

    /** Bytes per element in the file. */
    public int byteSize() {
        return byteSize;
    }

    /**
     * The DJL type {@link SafetensorsFile#load} produces: the same type, except that F16 and BF16 become FLOAT32 and
     * I16 becomes INT32 (types DJL 0.36 with PyTorch cannot hold without aborting the JVM).
     */
    public DataType djlType() {
        return djlType;
    }

    /** True for F64, F32, F16 and BF16. */
    public boolean isFloating() {
        return floating;
    }

    /** The dtype named {@code name} in a header (case-sensitive, as the format specifies), if supported. */
    public static Optional<SafetensorsDType> fromHeaderName(String name) {
        for (SafetensorsDType t : values()) {
            if (t.name().equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /**
     * The dtype that stores a DJL array of type {@code type} without loss, if there is one. INT16 and BFLOAT16 have
     * none: DJL 0.36 cannot safely hand out their data.
     */
    public static Optional<SafetensorsDType> fromDjl(DataType type) {
        return switch (type) {
            case FLOAT64 -> Optional.of(F64);
            case FLOAT32 -> Optional.of(F32);
            case FLOAT16 -> Optional.of(F16);
            case INT64 -> Optional.of(I64);
            case INT32 -> Optional.of(I32);
            case INT8 -> Optional.of(I8);
            case UINT8 -> Optional.of(U8);
            case BOOLEAN -> Optional.of(BOOL);
            default -> Optional.empty();
        };
    }

    /** All supported names, for error messages. */
    static String supportedNames() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }
}
