package dev.tokenreduce.core.safetensors;

import ai.djl.ndarray.NDArray;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Writes safetensors files. The header lists tensors in the map's iteration order, is padded with spaces to an
 * 8-byte boundary, and the data is laid out widest dtype first so every tensor starts aligned to its element size.
 * Files are written to a temporary file in the same directory and then moved into place, so readers never see a
 * half-written file.
 */
public final class SafetensorsWriter {

    private SafetensorsWriter() {}

    /**
     * Writes DJL arrays (FLOAT64, FLOAT32, FLOAT16, INT64, INT32, INT8, UINT8, BOOLEAN). Arrays are copied out
     * one at a time while writing.
     *
     * @param metadata {@code __metadata__} strings, may be null or empty
     * @throws IllegalArgumentException for unsupported array types or names
     * @throws SafetensorsException when the file cannot be written
     */
    public static void write(Path file, Map<String, NDArray> tensors, Map<String, String> metadata) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        tensors.forEach((name, array) -> entries.put(name, new Entry(TensorData.dtypeOf(array.getDataType()),
                array.getShape().getShape(), () -> TensorData.of(array).bytes())));
        writeEntries(file, entries, metadata);
    }

    /**
     * Writes tensors built from Java arrays (see {@link TensorData}'s factories), for code without an NDManager.
     *
     * @param metadata {@code __metadata__} strings, may be null or empty
     * @throws SafetensorsException when the file cannot be written
     */
    public static void writeData(Path file, Map<String, TensorData> tensors, Map<String, String> metadata) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        tensors.forEach((name, data) -> entries.put(name, new Entry(data.dtype(), data.shape(), data::bytes)));
        writeEntries(file, entries, metadata);
    }

    /** Writes one F32 tensor. */
    public static void writeFloats(Path file, String name, float[] values, long... shape) {
        writeData(file, Map.of(name, TensorData.ofFloats(values, shape)), Map.of());
    }

    /** Writes one I64 tensor. */
    public static void writeLongs(Path file, String name, long[] values, long... shape) {
        writeData(file, Map.of(name, TensorData.ofLongs(values, shape)), Map.of());
    }

    /** What the header needs now, and the bytes later (so arrays are copied out one at a time). */
    private record Entry(SafetensorsDType dtype, long[] shape, Supplier<ByteBuffer> bytes) {}

    private static void writeEntries(Path file, Map<String, Entry> entries, Map<String, String> metadata) {
        Objects.requireNonNull(file, "file");
        Map<String, String> meta = metadata == null ? Map.of() : metadata;
        meta.forEach((k, v) -> {
            if (k == null || v == null) {
                throw new IllegalArgumentException("metadata keys and values must not be null");
            }
        });
        List<String> names = new ArrayList<>(entries.keySet());
        for (String name : names) {
            if (name == null || name.isEmpty() || name.equals(HeaderParser.METADATA_KEY)) {
                throw new IllegalArgumentException("invalid tensor name: " + (name == null ? "null" : "'" + name + "'"));
            }
        }
        // Widest elements first: with an 8-aligned data section every tensor is then aligned to its element size.
        List<String> dataOrder = new ArrayList<>(names);
        dataOrder.sort(Comparator.comparingInt((String n) -> -entries.get(n).dtype().byteSize()));
        Map<String, TensorInfo> infos = new LinkedHashMap<>();
        long offset = 0;
        for (String name : dataOrder) {
            Entry e = entries.get(name);
            long bytes = Math.multiplyExact(TensorInfo.elementCount(e.shape()), (long) e.dtype().byteSize());
            infos.put(name, new TensorInfo(name, e.dtype(), e.shape(), offset, offset + bytes));
            offset += bytes;
        }
        List<TensorInfo> headerOrder = names.stream().map(infos::get).toList();
        byte[] header = HeaderEncoder.encode(headerOrder, meta);

        Path target = file.toAbsolutePath();
        Path temp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.createDirectories(target.getParent());
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
                writeFully(out, prefix);
                writeFully(out, ByteBuffer.wrap(header));
                for (String name : dataOrder) {
                    ByteBuffer bytes = entries.get(name).bytes().get();
                    if (bytes.remaining() != infos.get(name).byteCount()) {
                        throw new IllegalStateException("tensor '" + name + "' changed size while being written");
                    }
                    writeFully(out, bytes);
                }
                out.force(true);
            }
            moveIntoPlace(temp, target);
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new SafetensorsException(file, "cannot write: " + e, e);
        } catch (RuntimeException e) {
            deleteQuietly(temp);
            throw e;
        }
    }

    private static void moveIntoPlace(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void writeFully(FileChannel out, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            out.write(bytes);
        }
    }

    private static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // The temporary file is hidden and uniquely named; leaving it behind is harmless.
        }
    }
}
