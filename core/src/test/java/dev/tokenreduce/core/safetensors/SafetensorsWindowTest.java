package dev.tokenreduce.core.safetensors;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tensors spanning mapping windows. A real file over 2 GiB is too slow for CI, so the window is shrunk to a few
 * bytes: the same code path that splits a 3 GiB tensor over 1 GiB windows.
 */
class SafetensorsWindowTest {

    @TempDir
    Path dir;

    /** A 3-byte U8 tensor first, so the F32/F64/BF16 tensors after it start at odd offsets inside windows. */
    private Path misalignedFile(int floats) throws IOException {
        byte[] u8 = {7, (byte) 200, 9};
        float[] f = new float[floats];
        for (int i = 0; i < floats; i++) {
            f[i] = i * 1.25f - 3;
        }
        ByteBuffer d = ByteBuffer.allocate(8 * 5).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 5; i++) {
            d.putDouble(i + 0.5);
        }
        int[] bf = {0x3F80, 0xC020, 0x7F80, 0x0001, 0x4049};
        long fEnd = 3 + 4L * floats;
        String header = "{\"u\":{\"dtype\":\"U8\",\"shape\":[3],\"data_offsets\":[0,3]},"
                + "\"f\":{\"dtype\":\"F32\",\"shape\":[" + floats + "],\"data_offsets\":[3," + fEnd + "]},"
                + "\"d\":{\"dtype\":\"F64\",\"shape\":[5],\"data_offsets\":[" + fEnd + "," + (fEnd + 40) + "]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[5],\"data_offsets\":[" + (fEnd + 40) + "," + (fEnd + 50) + "]}}";
        return RawSafetensors.write(dir.resolve("misaligned.safetensors"), header,
                RawSafetensors.concat(u8, RawSafetensors.floatsLE(f), d.array(), RawSafetensors.shortsLE(bf)));
    }

    @Test
    void tensorsSpanningManySmallWindowsReadCorrectly() throws IOException {
        Path file = misalignedFile(100);
        try (SafetensorsFile whole = SafetensorsFile.open(file)) {
            for (long window : new long[] {64, 7, 1, 13}) {
                try (SafetensorsFile windowed = SafetensorsFile.open(file, window, Integer.MAX_VALUE)) {
                    assertThat(windowed.readLongs("u")).as("window %d", window).containsExactly(7, 200, 9);
                    float[] f = windowed.readFloats("f");
                    assertThat(f).as("window %d", window).containsExactly(whole.readFloats("f"));
                    assertThat(f[0]).isEqualTo(-3f);
                    assertThat(f[99]).isEqualTo(99 * 1.25f - 3);
                    assertThat(windowed.readFloats("d")).containsExactly(0.5f, 1.5f, 2.5f, 3.5f, 4.5f);
                    assertThat(windowed.readFloats("b")).containsExactly(1f, -2.5f, Float.POSITIVE_INFINITY,
                            0x1p-133f, 3.140625f);
                    assertThat(windowed.readFloats("f", 50, 20)).containsExactly(whole.readFloats("f", 50, 20));
                    ByteBuffer raw = windowed.rawBytes("f");
                    assertThat(raw.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
                    assertThat(raw.remaining()).isEqualTo(400);
                    assertThat(raw.getFloat(4 * 99)).isEqualTo(f[99]);
                    assertThat(raw).isEqualTo(whole.rawBytes("f"));
                }
            }
        }
    }

    @Test
    void mappedRegionCopiesAcrossWindowBoundaries() throws IOException {
        byte[] data = new byte[1000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31 + 7);
        }
        Path file = RawSafetensors.write(dir.resolve("bytes.safetensors"),
                "{\"x\":{\"dtype\":\"I8\",\"shape\":[1000],\"data_offsets\":[0,1000]}}", data);
        try (SafetensorsFile f = SafetensorsFile.open(file, 64, Integer.MAX_VALUE)) {
            long[] all = f.readLongs("x");
            for (int i = 0; i < data.length; i++) {
                assertThat(all[i]).as("byte %d", i).isEqualTo(data[i]);
            }
            // A slice that straddles a boundary (60..70 crosses 64) comes back intact.
            assertThat(f.readLongs("x", 60, 10)).containsExactly(Arrays.copyOfRange(all, 60, 70));
        }
    }
}
