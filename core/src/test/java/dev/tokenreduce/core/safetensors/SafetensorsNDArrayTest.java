package dev.tokenreduce.core.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** load() and write() against the real PyTorch engine: types, shapes and values must survive. */
class SafetensorsNDArrayTest {

    @TempDir
    Path dir;

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private Path allTypes() {
        Map<String, TensorData> t = new LinkedHashMap<>();
        t.put("f64", TensorData.ofDoubles(new double[] {1.5, -2.25, 1e-300, 4}, 2, 2));
        t.put("f32", TensorData.ofFloats(new float[] {1, -2, 3.5f, 4, 5, 6}, 2, 3));
        t.put("f16", TensorData.ofBytes(SafetensorsDType.F16, new long[] {2, 2},
                ByteBuffer.wrap(RawSafetensors.shortsLE(0x3C00, 0xC100, 0x7BFF, 0x0001))));
        t.put("bf16", TensorData.ofBytes(SafetensorsDType.BF16, new long[] {4},
                ByteBuffer.wrap(RawSafetensors.shortsLE(0x3F80, 0xC020, 0x7F80, 0x7FC0))));
        t.put("i64", TensorData.ofLongs(new long[] {Long.MIN_VALUE, 0, Long.MAX_VALUE}, 3));
        t.put("i32", TensorData.ofLongs(SafetensorsDType.I32, new long[] {Integer.MIN_VALUE, 1, Integer.MAX_VALUE}, 3, 1));
        t.put("i16", TensorData.ofLongs(SafetensorsDType.I16, new long[] {-32768, 5, 32767}, 3));
        t.put("i8", TensorData.ofLongs(SafetensorsDType.I8, new long[] {-128, 5, 127}, 3));
        t.put("u8", TensorData.ofLongs(SafetensorsDType.U8, new long[] {0, 128, 255}, 3));
        t.put("bool", TensorData.ofBooleans(new boolean[] {true, false, false, true}, 4));
        t.put("scalar", TensorData.ofFloats(new float[] {7.25f}));
        t.put("empty", TensorData.ofFloats(new float[0], 3, 0));
        Path file = dir.resolve("all.safetensors");
        SafetensorsWriter.writeData(file, t, Map.of());
        return file;
    }

    @Test
    void loadsEveryDtypeWithItsDjlTypeShapeAndValues() {
        try (SafetensorsFile f = SafetensorsFile.open(allTypes())) {
            NDArray f64 = f.load("f64", manager);
            assertThat(f64.getDataType()).isEqualTo(DataType.FLOAT64);
            assertThat(f64.getShape()).isEqualTo(new Shape(2, 2));
            assertThat(f64.toDoubleArray()).containsExactly(1.5, -2.25, 1e-300, 4);

            NDArray f32 = f.load("f32", manager);
            assertThat(f32.getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(f32.getShape()).isEqualTo(new Shape(2, 3));
            assertThat(f32.toFloatArray()).containsExactly(1, -2, 3.5f, 4, 5, 6);
            // The engine computes with it: row sums prove the layout is right, not just the bytes.
            assertThat(f32.sum(new int[] {1}).toFloatArray()).containsExactly(2.5f, 15f);

            NDArray f16 = f.load("f16", manager);
            assertThat(f16.getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(f16.getShape()).isEqualTo(new Shape(2, 2));
            assertThat(f16.toFloatArray()).containsExactly(1f, -2.5f, 65504f, 0x1p-24f);

            NDArray bf16 = f.load("bf16", manager);
            assertThat(bf16.getDataType()).isEqualTo(DataType.FLOAT32);
            float[] b = bf16.toFloatArray();
            assertThat(b[0]).isEqualTo(1f);
            assertThat(b[1]).isEqualTo(-2.5f);
            assertThat(b[2]).isEqualTo(Float.POSITIVE_INFINITY);
            assertThat(b[3]).isNaN();

            NDArray i64 = f.load("i64", manager);
            assertThat(i64.getDataType()).isEqualTo(DataType.INT64);
            assertThat(i64.toLongArray()).containsExactly(Long.MIN_VALUE, 0, Long.MAX_VALUE);

            NDArray i32 = f.load("i32", manager);
            assertThat(i32.getDataType()).isEqualTo(DataType.INT32);
            assertThat(i32.getShape()).isEqualTo(new Shape(3, 1));
            assertThat(i32.toIntArray()).containsExactly(Integer.MIN_VALUE, 1, Integer.MAX_VALUE);

            NDArray i16 = f.load("i16", manager); // widened: INT16 aborts DJL 0.36's PyTorch engine
            assertThat(i16.getDataType()).isEqualTo(DataType.INT32);
            assertThat(i16.toIntArray()).containsExactly(-32768, 5, 32767);

            NDArray i8 = f.load("i8", manager);
            assertThat(i8.getDataType()).isEqualTo(DataType.INT8);
            assertThat(i8.toByteArray()).containsExactly(-128, 5, 127);

            NDArray u8 = f.load("u8", manager);
            assertThat(u8.getDataType()).isEqualTo(DataType.UINT8);
            assertThat(u8.toUint8Array()).containsExactly(0, 128, 255);

            NDArray bool = f.load("bool", manager);
            assertThat(bool.getDataType()).isEqualTo(DataType.BOOLEAN);
            assertThat(bool.toBooleanArray()).containsExactly(true, false, false, true);

            NDArray scalar = f.load("scalar", manager);
            assertThat(scalar.getShape()).isEqualTo(new Shape());
            assertThat(scalar.isScalar()).isTrue();
            assertThat(scalar.getFloat()).isEqualTo(7.25f);

            NDArray empty = f.load("empty", manager);
            assertThat(empty.getShape()).isEqualTo(new Shape(3, 0));
            assertThat(empty.getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(empty.size()).isZero();
        }
    }

    @Test
    void loadedArraysOutliveTheFile() {
        NDArray kept;
        try (SafetensorsFile f = SafetensorsFile.open(allTypes())) {
            kept = f.load("f32", manager);
        }
        assertThat(kept.toFloatArray()).containsExactly(1, -2, 3.5f, 4, 5, 6);
    }

    @Test
    void tensorsLargerThanOneBufferAreLoadedInParts() throws IOException {
        float[] values = new float[6 * 7 * 5];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) Math.sin(i);
        }
        Path file = dir.resolve("parts.safetensors");
        Map<String, TensorData> t = new LinkedHashMap<>();
        t.put("w", TensorData.ofFloats(values, 6, 7, 5));
        t.put("h", TensorData.ofFloats(SafetensorsDType.BF16, values, 6, 7, 5));
        t.put("m", TensorData.ofBooleans(new boolean[] {true, false, true, true, false, false, true}, 7));
        SafetensorsWriter.writeData(file, t, Map.of());
        try (SafetensorsFile whole = SafetensorsFile.open(file);
                SafetensorsFile parts = SafetensorsFile.open(file, 64, 36)) {
            for (String name : new String[] {"w", "h", "m"}) {
                NDArray a = whole.load(name, manager);
                NDArray b = parts.load(name, manager);
                assertThat(b.getShape()).as(name).isEqualTo(a.getShape());
                assertThat(b.getDataType()).as(name).isEqualTo(a.getDataType());
                assertThat(b.contentEquals(a)).as(name).isTrue();
            }
            assertThat(parts.load("w", manager).toFloatArray()).containsExactly(values);
        }
    }

    @Test
    void writesDjlArraysIncludingNonContiguousOnes() {
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        NDArray base = manager.arange(12f).reshape(3, 4);
        arrays.put("transposed", base.transpose());
        arrays.put("f64", manager.create(new double[] {1.5, -2}));
        arrays.put("i64", manager.create(new long[] {3, -4, 5}, new Shape(3, 1)));
        arrays.put("i32", manager.create(new int[] {9, 8}));
        arrays.put("i8", manager.create(new byte[] {-1, 2}));
        arrays.put("u8", manager.create(new byte[] {(byte) 250, 1}).toType(DataType.UINT8, false));
        arrays.put("bool", manager.create(new boolean[] {true, false}));
        arrays.put("f16", manager.create(new float[] {1f, -2.5f}).toType(DataType.FLOAT16, false));
        arrays.put("scalar", manager.create(3.5f));
        arrays.put("empty", manager.create(new Shape(0, 2), DataType.FLOAT32));
        Path file = dir.resolve("djl.safetensors");
        SafetensorsWriter.write(file, arrays, Map.of("source", "djl"));
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertThat(f.info("transposed").shape()).containsExactly(4, 3);
            assertThat(f.readFloats("transposed")).containsExactly(0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11);
            assertThat(f.readFloats("f64")).containsExactly(1.5f, -2f);
            assertThat(f.info("f64").dtype()).isEqualTo(SafetensorsDType.F64);
            assertThat(f.readLongs("i64")).containsExactly(3, -4, 5);
            assertThat(f.info("i64").shape()).containsExactly(3, 1);
            assertThat(f.readLongs("i32")).containsExactly(9, 8);
            assertThat(f.info("i32").dtype()).isEqualTo(SafetensorsDType.I32);
            assertThat(f.readLongs("i8")).containsExactly(-1, 2);
            assertThat(f.readLongs("u8")).containsExactly(250, 1);
            assertThat(f.info("u8").dtype()).isEqualTo(SafetensorsDType.U8);
            assertThat(f.readLongs("bool")).containsExactly(1, 0);
            assertThat(f.info("bool").dtype()).isEqualTo(SafetensorsDType.BOOL);
            assertThat(f.info("f16").dtype()).isEqualTo(SafetensorsDType.F16);
            assertThat(f.readFloats("f16")).containsExactly(1f, -2.5f);
            assertThat(f.info("scalar").shape()).isEmpty();
            assertThat(f.readFloats("scalar")).containsExactly(3.5f);
            assertThat(f.info("empty").shape()).containsExactly(0, 2);
            assertThat(f.metadata()).containsEntry("source", "djl");
            assertThat(f.load("transposed", manager).contentEquals(base.transpose())).isTrue();
        }
    }

    @Test
    void refusesBf16AndUnsupportedTypesBeforeTouchingData() {
        // Checked on the type alone: creating a BF16 array could itself be unsafe in DJL 0.36.
        assertThatThrownBy(() -> TensorData.dtypeOf(DataType.BFLOAT16))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("FLOAT32");
        assertThatThrownBy(() -> TensorData.dtypeOf(DataType.INT16))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("INT16");
        assertThatThrownBy(() -> TensorData.dtypeOf(DataType.UINT32))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("UINT32");
        assertThat(TensorData.dtypeOf(DataType.FLOAT16)).isEqualTo(SafetensorsDType.F16);
    }
}
