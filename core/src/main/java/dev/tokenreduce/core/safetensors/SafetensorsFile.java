package dev.tokenreduce.core.safetensors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * One safetensors file. {@link #open} reads and validates the whole header and nothing else; tensor bytes are
 * memory-mapped and decoded only when a tensor is asked for. Reads are thread-safe. Close it to release the file;
 * arrays and float/long arrays already returned stay valid, buffers from {@link #rawBytes} may not.
 */
public final class SafetensorsFile implements AutoCloseable {

    /** Largest Java array (a few bytes below 2^31, as the JDK allows). */
    static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

    private static final int MAX_CHUNK_BYTES = 8 << 20;

    private final Path path;
    private final FileChannel channel;
    private final SafetensorsHeader header;
    private final MappedRegion region;
    private final int chunkBytes;
    private final long maxBufferBytes;
    private volatile boolean closed;

    private SafetensorsFile(Path path, FileChannel channel, SafetensorsHeader header, long windowBytes,
            long maxBufferBytes) {
        this.path = path;
        this.channel = channel;
        this.header = header;
        this.region = new MappedRegion(path, channel, header.dataStart(), header.dataLength(), windowBytes);
        // Decode in pieces no larger than a window, so small windows in tests exercise the piecewise code too.
        this.chunkBytes = (int) Math.max(8, Math.min(MAX_CHUNK_BYTES, windowBytes) / 8 * 8);
        this.maxBufferBytes = maxBufferBytes;
    }

    /**
     * Opens {@code file} and validates its header.
     *
     * @throws SafetensorsException naming the file and the problem when it is missing, unreadable or malformed
     */
    public static SafetensorsFile open(Path file) {
        return open(file, MappedRegion.DEFAULT_WINDOW_BYTES, MAX_ARRAY_LENGTH);
    }

    /**
     * As {@link #open(Path)}, with the mapping window and the largest single buffer handed to DJL chosen by the
     * caller (tests use tiny values to exercise tensors that span windows and multi-part loads).
     */
    static SafetensorsFile open(Path file, long windowBytes, long maxBufferBytes) {
        Objects.requireNonNull(file, "file");
        if (Files.isDirectory(file)) {
            throw new SafetensorsException(file, "is a directory, not a safetensors file"
                    + " (SafetensorsCheckpoint.open accepts model directories)");
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new SafetensorsException(file, "no such file", e);
        } catch (IOException e) {
            throw new SafetensorsException(file, "cannot open: " + e, e);
        }
        try {
            SafetensorsHeader header = HeaderReader.read(file, channel);
            return new SafetensorsFile(file, channel, header, windowBytes, maxBufferBytes);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new SafetensorsException(file, "cannot read header: " + e, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** The file this was opened from. */
    public Path path() {
        return path;
    }

    /** Tensor names in header order. */
    public Set<String> names() {
        return header.tensors().keySet();
    }

    /** True if the header lists {@code name}. */
    public boolean contains(String name) {
        return header.tensors().containsKey(name);
    }

    /**
     * The header entry for {@code name}.
     *
     * @throws SafetensorsException when there is no such tensor
     */
    public TensorInfo info(String name) {
        TensorInfo info = header.tensors().get(name);
        if (info == null) {
            throw new SafetensorsException(path, "no tensor named '" + name + "'; " + describeNames());
        }
        return info;
    }

    /** The {@code __metadata__} strings, empty if the header has none. */
    public Map<String, String> metadata() {
        return header.metadata();
    }

    /**
     * Loads a tensor as an array owned by {@code manager}, with its shape and {@link SafetensorsDType#djlType()}:
     * F16 and BF16 are widened to FLOAT32 and I16 to INT32 here (DJL 0.36 aborts on those types), BOOL becomes
     * BOOLEAN, other types stay as they are. The array owns
     * a copy of the data, independent of this file.
     */
    public NDArray load(String name, NDManager manager) {
        TensorInfo info = info(name);
        ensureOpen();
        Shape shape = new Shape(info.shape());
        DataType type = info.dtype().djlType();
        long count = info.elementCount();
        if (count == 0) {
            return manager.create(shape, type);
        }
        long perPart = Math.max(1, maxBufferBytes / ElementCodec.nativeByteSize(info.dtype()));
        if (count <= perPart) {
            return manager.create(nativeBuffer(info, 0, (int) count), shape, type);
        }
        // Too large for one Java buffer: build it from 1-D parts, then give it its shape.
        try (NDList parts = new NDList()) {
            for (long first = 0; first < count; first += perPart) {
                int n = (int) Math.min(perPart, count - first);
                parts.add(manager.create(nativeBuffer(info, first, n), new Shape(n), type));
            }
            try (NDArray flat = NDArrays.concat(parts, 0)) {
                return flat.reshape(shape);
            }
        }
    }

    /**
     * All elements of a float tensor (F64, F32, F16, BF16) as floats, in row-major order.
     *
     * @throws SafetensorsException for other dtypes or more elements than a Java array holds
     */
    public float[] readFloats(String name) {
        TensorInfo info = info(name);
        return readFloats(name, 0, arrayLength(info));
    }

    /** Elements {@code [first, first + count)} (row-major) of a float tensor, for tensors too large to read whole. */
    public float[] readFloats(String name, long first, int count) {
        TensorInfo info = info(name);
        if (!info.dtype().isFloating()) {
            throw new SafetensorsException(path, "tensor '" + name + "' has dtype " + info.dtype()
                    + "; readFloats needs F64, F32, F16 or BF16 (use readLongs)");
        }
        checkElementRange(info, first, count);
        float[] out = new float[count];
        int[] at = {0};
        forEachChunk(info, first, count, chunk -> {
            int n = chunk.remaining() / info.dtype().byteSize();
            ElementCodec.toFloats(info.dtype(), chunk, out, at[0]);
            at[0] += n;
        });
        return out;
    }

    /**
     * All elements of an integer or boolean tensor (I64, I32, I16, I8, U8 unsigned, BOOL as 0/1) as longs.
     *
     * @throws SafetensorsException for float dtypes or more elements than a Java array holds
     */
    public long[] readLongs(String name) {
        TensorInfo info = info(name);
        return readLongs(name, 0, arrayLength(info));
    }

    /** Elements {@code [first, first + count)} (row-major) of an integer or boolean tensor. */
    public long[] readLongs(String name, long first, int count) {
        TensorInfo info = info(name);
        if (info.dtype().isFloating()) {
            throw new SafetensorsException(path, "tensor '" + name + "' has dtype " + info.dtype()
                    + "; readLongs needs an integer or BOOL dtype (use readFloats)");
        }
        checkElementRange(info, first, count);
        long[] out = new long[count];
        int[] at = {0};
        forEachChunk(info, first, count, chunk -> {
            int n = chunk.remaining() / info.dtype().byteSize();
            ElementCodec.toLongs(info.dtype(), chunk, out, at[0]);
            at[0] += n;
        });
        return out;
    }

    /**
     * The tensor's bytes exactly as stored: a read-only little-endian buffer, a view of the mapping when possible.
     *
     * @throws SafetensorsException when the tensor exceeds 2 GiB (read it in ranges instead)
     */
    public ByteBuffer rawBytes(String name) {
        TensorInfo info = info(name);
        ensureOpen();
        if (info.byteCount() > MAX_ARRAY_LENGTH) {
            throw new SafetensorsException(path, "tensor '" + name + "' is " + info.byteCount()
                    + " bytes, more than one Java buffer holds; use readFloats/readLongs with a range");
        }
        return region.view(info.begin(), (int) info.byteCount());
    }

    /** Releases the file. Further reads throw {@link IllegalStateException}. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(channel);
    }

    @Override
    public String toString() {
        return "SafetensorsFile[" + path + ", " + header.tensors().size() + " tensors]";
    }

    private ByteBuffer nativeBuffer(TensorInfo info, long first, int count) {
        int size = ElementCodec.nativeByteSize(info.dtype());
        // A fresh direct buffer: DJL's PyTorch engine wraps it without copying, so it must not be the mapping.
        ByteBuffer out = ByteBuffer.allocateDirect(Math.multiplyExact(count, size)).order(ByteOrder.nativeOrder());
        forEachChunk(info, first, count, chunk -> ElementCodec.toNative(info.dtype(), chunk, out));
        return out.flip();
    }

    private void forEachChunk(TensorInfo info, long first, long count, Consumer<ByteBuffer> sink) {
        ensureOpen();
        int elementSize = info.dtype().byteSize();
        long perChunk = chunkBytes / elementSize;
        long offset = info.begin() + first * elementSize;
        for (long done = 0; done < count; ) {
            long n = Math.min(perChunk, count - done);
            sink.accept(region.view(offset, (int) (n * elementSize)));
            offset += n * elementSize;
            done += n;
        }
    }

    private int arrayLength(TensorInfo info) {
        long count = info.elementCount();
        if (count > MAX_ARRAY_LENGTH) {
            throw new SafetensorsException(path, "tensor '" + info.name() + "' has " + count
                    + " elements, more than a Java array holds; read it in ranges or load() it");
        }
        return (int) count;
    }

    private void checkElementRange(TensorInfo info, long first, int count) {
        if (first < 0 || count < 0 || first > info.elementCount() - count) {
            throw new IndexOutOfBoundsException("elements [" + first + ", " + (first + count) + ") outside tensor '"
                    + info.name() + "' of " + info.elementCount() + " elements in " + path);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(path + " is closed");
        }
    }

    private String describeNames() {
        int total = header.tensors().size();
        if (total == 0) {
            return "the file holds no tensors";
        }
        String some = header.tensors().keySet().stream().limit(8).collect(Collectors.joining(", "));
        return "the file holds " + total + " tensors: " + some + (total > 8 ? ", ..." : "");
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing useful to do: the file was only read.
        }
    }
}
