package dev.tokenreduce.core.safetensors;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile and broken files: each must fail with a SafetensorsException naming the file and the problem. */
class SafetensorsMalformedTest {

    @TempDir
    Path dir;

    private static final String ONE_F32 = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";

    private static AbstractThrowableAssert<?, ? extends Throwable> assertOpenFails(Path file) {
        return assertThatThrownBy(() -> SafetensorsFile.open(file).close())
                .isInstanceOf(SafetensorsException.class)
                .hasMessageContaining(file.toString());
    }

    private Path withHeader(String name, String header, byte[] data) throws IOException {
        return RawSafetensors.write(dir.resolve(name), header, data);
    }

    @Test
    void headerLengthOfTwoToThe62IsRejectedWithoutAllocating() throws IOException {
        Path file = RawSafetensors.write(dir.resolve("huge.safetensors"), 1L << 62, ONE_F32.getBytes(), new byte[8]);
        assertOpenFails(file).hasMessageContaining("header length 4611686018427387904")
                .hasMessageContaining("limit");
    }

    @Test
    void headerLengthWithTheTopBitSetIsTreatedAsHugeNotNegative() throws IOException {
        Path file = RawSafetensors.write(dir.resolve("neg.safetensors"), -1L, ONE_F32.getBytes(), new byte[8]);
        assertOpenFails(file).hasMessageContaining("18446744073709551615").hasMessageContaining("limit");
    }

    @Test
    void headerLengthOf200MegabytesIsRejected() throws IOException {
        Path file = RawSafetensors.write(dir.resolve("200mb.safetensors"), 200_000_000L, ONE_F32.getBytes(), new byte[8]);
        assertOpenFails(file).hasMessageContaining("header length 200000000").hasMessageContaining("100000000");
    }

    @Test
    void headerLengthBeyondTheFileIsRejected() throws IOException {
        Path file = RawSafetensors.write(dir.resolve("long.safetensors"), 1000, ONE_F32.getBytes(), new byte[8]);
        assertOpenFails(file).hasMessageContaining("header length 1000").hasMessageContaining("truncated");
    }

    @Test
    void headerLengthTooSmallForJsonIsRejected() throws IOException {
        Path file = RawSafetensors.write(dir.resolve("tiny.safetensors"), 1, "{".getBytes(), new byte[0]);
        assertOpenFails(file).hasMessageContaining("header length 1").hasMessageContaining("too small");
    }

    @Test
    void fileShorterThanEightBytesIsRejected() throws IOException {
        Path file = Files.write(dir.resolve("short.safetensors"), new byte[] {2, 0, 0});
        assertOpenFails(file).hasMessageContaining("3 bytes").hasMessageContaining("8-byte");
        Path empty = Files.write(dir.resolve("empty.safetensors"), new byte[0]);
        assertOpenFails(empty).hasMessageContaining("0 bytes");
    }

    @Test
    void missingFileIsReported() {
        assertOpenFails(dir.resolve("absent.safetensors")).hasMessageContaining("no such file");
    }

    @Test
    void offsetsOutsideTheDataSectionAreRejected() throws IOException {
        Path file = withHeader("outside.safetensors",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}", new byte[12]);
        assertOpenFails(file).hasMessageContaining("'w'").hasMessageContaining("[8, 16]")
                .hasMessageContaining("outside the data section of 12 bytes");
    }

    @Test
    void reversedOffsetsAreRejected() throws IOException {
        Path file = withHeader("reversed.safetensors",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,0]}}", new byte[8]);
        assertOpenFails(file).hasMessageContaining("'w'").hasMessageContaining("reversed");
    }

    @Test
    void overlappingTensorsAreRejected() throws IOException {
        Path file = withHeader("overlap.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[12,20]}}", new byte[20]);
        assertOpenFails(file).hasMessageContaining("'a' [0, 16)").hasMessageContaining("'b' [12, 20)")
                .hasMessageContaining("overlap");
    }

    @Test
    void overlapIsFoundWhateverTheHeaderOrder() throws IOException {
        Path file = withHeader("overlap2.safetensors", "{\"late\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[4,8]},"
                + "\"early\":{\"dtype\":\"U8\",\"shape\":[8],\"data_offsets\":[0,8]}}", new byte[8]);
        assertOpenFails(file).hasMessageContaining("overlap");
    }

    @Test
    void byteCountDifferentFromDtypeTimesShapeIsRejected() throws IOException {
        Path file = withHeader("count.safetensors",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,12]}}", new byte[16]);
        assertOpenFails(file).hasMessageContaining("'w'").hasMessageContaining("12 bytes")
                .hasMessageContaining("needs 16 bytes");
    }

    @Test
    void badJsonIsRejected() throws IOException {
        Path file = withHeader("json.safetensors", "{\"w\":{\"dtype\":\"F32\",", new byte[0]);
        assertOpenFails(file).hasMessageContaining("not well-formed JSON");
        Path notObject = withHeader("array.safetensors", "[1, 2]", new byte[0]);
        assertOpenFails(notObject).hasMessageContaining("not a JSON object");
        Path trailing = withHeader("trailing.safetensors", "{} {}", new byte[0]);
        assertOpenFails(trailing).hasMessageContaining("after the JSON object");
        Path duplicate = withHeader("dup.safetensors", "{\"w\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[0,0]},"
                + "\"w\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[0,0]}}", new byte[0]);
        assertOpenFails(duplicate).hasMessageContaining("Duplicate").hasMessageContaining("'w'");
    }

    @Test
    void invalidUtf8IsRejected() throws IOException {
        byte[] header = "{\"w\u00ff\":{}}".getBytes(StandardCharsets.ISO_8859_1);
        Path file = RawSafetensors.write(dir.resolve("utf8.safetensors"), header.length, header, new byte[0]);
        assertOpenFails(file).hasMessageContaining("UTF-8").hasMessageContaining("byte 3");
    }

    @Test
    void deeplyNestedJsonIsRejectedWithoutStackOverflow() throws IOException {
        char[] open = new char[100_000];
        Arrays.fill(open, '[');
        Path file = withHeader("deep.safetensors", "{\"w\":{\"x\":" + new String(open) + "}}", new byte[0]);
        assertOpenFails(file).hasMessageContaining("not well-formed JSON");
    }

    @Test
    void unknownDtypeIsRejected() throws IOException {
        Path file = withHeader("dtype.safetensors",
                "{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}", new byte[2]);
        assertOpenFails(file).hasMessageContaining("'w'").hasMessageContaining("unsupported dtype 'F8_E4M3'")
                .hasMessageContaining("BF16");
    }

    @Test
    void truncatedFileIsRejected() throws IOException {
        Path good = dir.resolve("good.safetensors");
        SafetensorsWriter.writeFloats(good, "w", new float[64], 8, 8);
        byte[] bytes = Files.readAllBytes(good);
        Path cutData = Files.write(dir.resolve("cut-data.safetensors"), Arrays.copyOf(bytes, bytes.length - 5));
        assertOpenFails(cutData).hasMessageContaining("'w'").hasMessageContaining("truncated");
        Path cutHeader = Files.write(dir.resolve("cut-header.safetensors"), Arrays.copyOf(bytes, 20));
        assertOpenFails(cutHeader).hasMessageContaining("header length").hasMessageContaining("truncated");
    }

    @Test
    void negativeShapeIsRejected() throws IOException {
        Path file = withHeader("negative.safetensors",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", new byte[8]);
        assertOpenFails(file).hasMessageContaining("shape of tensor 'w'").hasMessageContaining("negative number -2");
    }

    @Test
    void nonIntegerShapeIsRejected() throws IOException {
        Path file = withHeader("float-shape.safetensors",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[2.0],\"data_offsets\":[0,8]}}", new byte[8]);
        assertOpenFails(file).hasMessageContaining("shape of tensor 'w'").hasMessageContaining("only integers");
        Path big = withHeader("big-shape.safetensors",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[99999999999999999999999],\"data_offsets\":[0,8]}}", new byte[8]);
        assertOpenFails(big).hasMessageContaining("larger than a 64-bit integer");
    }

    @Test
    void shapeProductOverflowIsRejected() throws IOException {
        Path file = withHeader("overflow.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],"
                + "\"data_offsets\":[0,8]}}", new byte[8]);
        assertOpenFails(file).hasMessageContaining("'w'").hasMessageContaining("64-bit");
        // Fits as an element count but not once multiplied by the element size.
        Path bytes = withHeader("overflow-bytes.safetensors", "{\"w\":{\"dtype\":\"F64\",\"shape\":[2305843009213693952],"
                + "\"data_offsets\":[0,8]}}", new byte[8]);
        assertOpenFails(bytes).hasMessageContaining("'w'").hasMessageContaining("more bytes than fit");
    }

    @Test
    void tooManyDimensionsAreRejected() throws IOException {
        String dims = "1,".repeat(200) + "1";
        Path file = withHeader("rank.safetensors",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[" + dims + "],\"data_offsets\":[0,4]}}", new byte[4]);
        assertOpenFails(file).hasMessageContaining("more than 64 entries");
    }

    @Test
    void missingFieldsAreRejected() throws IOException {
        Path noOffsets = withHeader("no-offsets.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[2]}}", new byte[8]);
        assertOpenFails(noOffsets).hasMessageContaining("tensor 'w' has no data_offsets");
        Path noDtype = withHeader("no-dtype.safetensors", "{\"w\":{\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[8]);
        assertOpenFails(noDtype).hasMessageContaining("tensor 'w' has no dtype");
        Path noShape = withHeader("no-shape.safetensors", "{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", new byte[8]);
        assertOpenFails(noShape).hasMessageContaining("tensor 'w' has no shape");
        Path threeOffsets = withHeader("three.safetensors",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8,8]}}", new byte[8]);
        assertOpenFails(threeOffsets).hasMessageContaining("data_offsets of tensor 'w'");
        Path notObject = withHeader("entry.safetensors", "{\"w\":[1,2]}", new byte[8]);
        assertOpenFails(notObject).hasMessageContaining("tensor 'w' must be a JSON object");
    }

    @Test
    void badMetadataIsRejected() throws IOException {
        Path file = withHeader("meta.safetensors", "{\"__metadata__\":{\"total\":5}}", new byte[0]);
        assertOpenFails(file).hasMessageContaining("__metadata__").hasMessageContaining("'total'")
                .hasMessageContaining("string");
    }

    @Test
    void directoriesAreNotFiles() {
        assertOpenFails(dir).hasMessageContaining("directory");
    }
}
