package dev.tokenreduce.core.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writer → reader for every dtype, without DJL. */
class SafetensorsRoundTripTest {

    @TempDir
    Path dir;

    /** 1.0, -2.5, 65504, smallest subnormal, +inf, -inf, NaN, -0.0 as F16 bits. */
    private static final int[] F16_BITS = {0x3C00, 0xC100, 0x7BFF, 0x0001, 0x7C00, 0xFC00, 0x7E00, 0x8000};
    /** The same values as BF16 bits where they exist (65504 is not one: 65536 instead; subnormal 2^-133). */
    private static final int[] BF16_BITS = {0x3F80, 0xC020, 0x4780, 0x0001, 0x7F80, 0xFF80, 0x7FC0, 0x8000};

    private static void assertSpecials(float[] v, float big, float subnormal) {
        assertThat(v).hasSize(8);
        assertThat(v[0]).isEqualTo(1.0f);
        assertThat(v[1]).isEqualTo(-2.5f);
        assertThat(v[2]).isEqualTo(big);
        assertThat(v[3]).isEqualTo(subnormal);
        assertThat(v[4]).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(v[5]).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(v[6]).isNaN();
        assertThat(Float.floatToRawIntBits(v[7])).isEqualTo(0x80000000);
    }

    @Test
    void everyDtypeRoundTrips() throws IOException {
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        tensors.put("f64", TensorData.ofDoubles(new double[] {1.5, -1e300, Math.PI, 0}, 2, 2));
        tensors.put("f32", TensorData.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        tensors.put("i64", TensorData.ofLongs(new long[] {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE}, 4));
        tensors.put("i32", TensorData.ofLongs(SafetensorsDType.I32, new long[] {Integer.MIN_VALUE, 7, Integer.MAX_VALUE}, 3));
        tensors.put("i16", TensorData.ofLongs(SafetensorsDType.I16, new long[] {-32768, 12, 32767}, 1, 3));
        tensors.put("i8", TensorData.ofLongs(SafetensorsDType.I8, new long[] {-128, 0, 127}, 3));
        tensors.put("u8", TensorData.ofLongs(SafetensorsDType.U8, new long[] {0, 128, 255}, 3));
        tensors.put("bool", TensorData.ofBooleans(new boolean[] {true, false, true, true}, 2, 2));
        tensors.put("ints", TensorData.ofInts(new int[] {5, -5}, 2));
        Path file = dir.resolve("all.safetensors");
        SafetensorsWriter.writeData(file, tensors, Map.of("format", "pt", "note", "ünïcödé"));

        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertThat(f.names()).containsExactly("f64", "f32", "i64", "i32", "i16", "i8", "u8", "bool", "ints");
            assertThat(f.metadata()).containsEntry("format", "pt").containsEntry("note", "ünïcödé").hasSize(2);
            assertThat(f.info("f64").dtype()).isEqualTo(SafetensorsDType.F64);
            assertThat(f.info("f32").shape()).containsExactly(2, 3);
            assertThat(f.info("i16").shape()).containsExactly(1, 3);
            assertThat(f.info("f32").elementCount()).isEqualTo(6);
            assertThat(f.readFloats("f64")).containsExactly(1.5f, Float.NEGATIVE_INFINITY, (float) Math.PI, 0f);
            assertThat(f.readFloats("f32")).containsExactly(1, 2, 3, 4, 5, 6);
            assertThat(f.readLongs("i64")).containsExactly(Long.MIN_VALUE, -1, 0, Long.MAX_VALUE);
            assertThat(f.readLongs("i32")).containsExactly(Integer.MIN_VALUE, 7, Integer.MAX_VALUE);
            assertThat(f.readLongs("i16")).containsExactly(-32768, 12, 32767);
            assertThat(f.readLongs("i8")).containsExactly(-128, 0, 127);
            assertThat(f.readLongs("u8")).containsExactly(0, 128, 255);
            assertThat(f.readLongs("bool")).containsExactly(1, 0, 1, 1);
            assertThat(f.readLongs("ints")).containsExactly(5, -5);
            for (String name : f.names()) {
                TensorInfo info = f.info(name);
                // Widest dtype first in the data section: every tensor is aligned to its element size.
                assertThat(info.begin() % info.dtype().byteSize()).as(name).isZero();
                assertThat(info.byteCount()).isEqualTo(info.elementCount() * info.dtype().byteSize());
            }
        }
        ByteBuffer raw = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = raw.getLong(0);
        assertThat((8 + headerLength) % 8).isZero();
        assertThat(raw.get((int) (8 + headerLength - 1))).isIn((byte) ' ', (byte) '}');
    }

    @Test
    void halfFloatsAreWidenedOnRead() throws IOException {
        Path file = dir.resolve("half.safetensors");
        SafetensorsWriter.writeData(file, Map.of(
                "h", TensorData.ofBytes(SafetensorsDType.F16, new long[] {8}, ByteBuffer.wrap(RawSafetensors.shortsLE(F16_BITS))),
                "b", TensorData.ofBytes(SafetensorsDType.BF16, new long[] {2, 4},
                        ByteBuffer.wrap(RawSafetensors.shortsLE(BF16_BITS)))), null);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertSpecials(f.readFloats("h"), 65504f, 0x1p-24f);
            assertSpecials(f.readFloats("b"), 65536f, 0x1p-133f);
            assertThat(f.info("b").dtype().byteSize()).isEqualTo(2);
            assertThatThrownBy(() -> f.readLongs("h")).isInstanceOf(SafetensorsException.class)
                    .hasMessageContaining("'h'").hasMessageContaining("F16");
        }
    }

    @Test
    void halfFloatsAreNarrowedOnWrite() throws IOException {
        float[] values = {1.0f, -2.5f, 65504f, 0x1p-24f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, -0f};
        Path file = dir.resolve("narrow.safetensors");
        SafetensorsWriter.writeData(file, Map.of(
                "h", TensorData.ofFloats(SafetensorsDType.F16, values, 8),
                "b", TensorData.ofFloats(SafetensorsDType.BF16, values, 8)), Map.of());
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            ByteBuffer h = f.rawBytes("h");
            assertThat(h.isReadOnly()).isTrue();
            assertThat(h.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < 8; i++) {
                if (i != 6) {
                    assertThat(h.getShort(i * 2) & 0xFFFF).as("F16 %d", i).isEqualTo(F16_BITS[i]);
                }
            }
            assertThat(h.getShort(12) & 0x7C00).isEqualTo(0x7C00);
            assertThat(h.getShort(12) & 0x03FF).isNotZero();
            ByteBuffer b = f.rawBytes("b");
            for (int i = 0; i < 8; i++) {
                if (i != 3 && i != 6) {
                    assertThat(b.getShort(i * 2) & 0xFFFF).as("BF16 %d", i).isEqualTo(BF16_BITS[i]);
                }
            }
            assertThat(b.getShort(6) & 0xFFFF).isEqualTo(0x3380); // 2^-24 is a normal bf16
            assertThat(f.readFloats("b")[6]).isNaN();
        }
    }

    @Test
    void scalarsAndEmptyTensorsRoundTrip() throws IOException {
        Path file = dir.resolve("edge.safetensors");
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        tensors.put("scalar", TensorData.ofFloats(new float[] {42.5f}));
        tensors.put("empty", TensorData.ofFloats(new float[0], 0, 3));
        tensors.put("empty_i", TensorData.ofLongs(new long[0], 5, 0));
        tensors.put("scalar_i", TensorData.ofLongs(SafetensorsDType.I8, new long[] {-3}));
        SafetensorsWriter.writeData(file, tensors, Map.of());
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertThat(f.info("scalar").shape()).isEmpty();
            assertThat(f.info("scalar").elementCount()).isEqualTo(1);
            assertThat(f.readFloats("scalar")).containsExactly(42.5f);
            assertThat(f.readLongs("scalar_i")).containsExactly(-3);
            assertThat(f.info("empty").shape()).containsExactly(0, 3);
            assertThat(f.info("empty").elementCount()).isZero();
            assertThat(f.readFloats("empty")).isEmpty();
            assertThat(f.readLongs("empty_i")).isEmpty();
            assertThat(f.rawBytes("empty").remaining()).isZero();
        }
    }

    @Test
    void emptyFileWithOnlyMetadataRoundTrips() throws IOException {
        Path file = dir.resolve("nothing.safetensors");
        SafetensorsWriter.writeData(file, Map.of(), Map.of("k", "v"));
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertThat(f.names()).isEmpty();
            assertThat(f.metadata()).containsExactly(Map.entry("k", "v"));
        }
    }

    @Test
    void writeIsAtomicAndReplacesExistingFiles() throws IOException {
        Path file = dir.resolve("sub/dir/out.safetensors");
        SafetensorsWriter.writeFloats(file, "a", new float[] {1, 2}, 2);
        SafetensorsWriter.writeLongs(file, "b", new long[] {7}, 1);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertThat(f.names()).containsExactly("b");
            assertThat(f.readLongs("b")).containsExactly(7);
        }
        try (Stream<Path> left = Files.list(file.getParent())) {
            assertThat(left.map(p -> p.getFileName().toString()).toList()).containsExactly("out.safetensors");
        }
    }

    @Test
    void failedWriteLeavesNoFileBehind() throws IOException {
        Path file = dir.resolve("bad.safetensors");
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        tensors.put("__metadata__", TensorData.ofFloats(new float[] {1}, 1));
        assertThatThrownBy(() -> SafetensorsWriter.writeData(file, tensors, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("__metadata__");
        assertThatThrownBy(() -> SafetensorsWriter.writeData(file, Map.of("", TensorData.ofFloats(new float[] {1}, 1)),
                Map.of())).isInstanceOf(IllegalArgumentException.class);
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.toList()).isEmpty();
        }
    }

    @Test
    void tensorDataRejectsInconsistentInput() {
        assertThatThrownBy(() -> TensorData.ofFloats(new float[3], 2, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("4 elements");
        assertThatThrownBy(() -> TensorData.ofLongs(SafetensorsDType.U8, new long[] {256}, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("256");
        assertThatThrownBy(() -> TensorData.ofLongs(SafetensorsDType.BOOL, new long[] {2}, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TensorData.ofFloats(SafetensorsDType.I32, new float[] {1}, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TensorData.ofFloats(new float[0], -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
    }

    @Test
    void readsHeadersWithoutPaddingAndIgnoresUnknownFields() throws IOException {
        // Python writers may leave the header unaligned; extra entry fields are ignored by the reference reader.
        String header = "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"extra\":{\"a\":[12]}}}";
        assertThat(header.length() % 8).isNotZero();
        Path file = RawSafetensors.write(dir.resolve("unpadded.safetensors"), header, RawSafetensors.floatsLE(3, 4));
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertThat(f.readFloats("x")).containsExactly(3, 4);
            assertThat(f.metadata()).isEmpty();
        }
    }

    @Test
    void readsRangesOfATensor() throws IOException {
        float[] values = new float[100];
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 0.5f;
        }
        Path file = dir.resolve("range.safetensors");
        SafetensorsWriter.writeFloats(file, "v", values, 10, 10);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertThat(f.readFloats("v", 37, 3)).containsExactly(18.5f, 19f, 19.5f);
            assertThatThrownBy(() -> f.readFloats("v", 98, 3)).isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    @Test
    void unknownNamesAndClosedFilesFailClearly() throws IOException {
        Path file = dir.resolve("named.safetensors");
        SafetensorsWriter.writeFloats(file, "weight", new float[] {1}, 1);
        SafetensorsFile f = SafetensorsFile.open(file);
        assertThat(f.contains("weight")).isTrue();
        assertThat(f.contains("bias")).isFalse();
        assertThatThrownBy(() -> f.info("bias")).isInstanceOf(SafetensorsException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("'bias'").hasMessageContaining("weight");
        f.close();
        assertThatThrownBy(() -> f.readFloats("weight")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThat(List.copyOf(f.names())).containsExactly("weight");
    }
}
