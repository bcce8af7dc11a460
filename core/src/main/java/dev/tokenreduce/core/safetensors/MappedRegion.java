package dev.tokenreduce.core.safetensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * The data section of a file, memory-mapped lazily in windows of at most {@code windowBytes}: a Java buffer holds
 * at most 2 GiB, so larger files (and tensors) are read window by window. Thread-safe; each read works on its own
 * duplicate of a window.
 */
final class MappedRegion {

    /** Default window: well below the 2 GiB buffer limit and few enough mappings for any checkpoint. */
    static final long DEFAULT_WINDOW_BYTES = 1L << 30;

    private final Path file;
    private final FileChannel channel;
    private final long start;
    private final long length;
    private final long windowBytes;
    private final MappedByteBuffer[] windows;

    MappedRegion(Path file, FileChannel channel, long start, long length, long windowBytes) {
        if (windowBytes < 1 || windowBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("window size must be in [1, 2^31 - 1], got " + windowBytes);
        }
        this.file = file;
        this.channel = channel;
        this.start = start;
        this.length = length;
        this.windowBytes = windowBytes;
        this.windows = new MappedByteBuffer[Math.toIntExact((length + windowBytes - 1) / windowBytes)];
    }

    /**
     * A read-only little-endian view of {@code [offset, offset + size)}: a slice of the mapping when the range lies in
     * one window, otherwise a heap copy.
     */
    ByteBuffer view(long offset, int size) {
        checkRange(offset, size);
        int w = (int) (offset / windowBytes);
        int within = (int) (offset - w * windowBytes);
        if (size == 0) {
            return ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN).asReadOnlyBuffer();
        }
        if (within + (long) size <= windowBytes) {
            return window(w).slice(within, size).order(ByteOrder.LITTLE_ENDIAN).asReadOnlyBuffer()
                    .order(ByteOrder.LITTLE_ENDIAN);
        }
        ByteBuffer copy = ByteBuffer.allocate(size);
        copy(offset, copy);
        return copy.flip().order(ByteOrder.LITTLE_ENDIAN).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Copies {@code dst.remaining()} bytes starting at {@code offset} into {@code dst}, across windows as needed. */
    void copy(long offset, ByteBuffer dst) {
        checkRange(offset, dst.remaining());
        long pos = offset;
        try {
            while (dst.hasRemaining()) {
                int w = (int) (pos / windowBytes);
                int within = (int) (pos - w * windowBytes);
                MappedByteBuffer window = window(w);
                int n = Math.min(dst.remaining(), window.capacity() - within);
                dst.put(window.slice(within, n));
                pos += n;
            }
        } catch (InternalError e) {
            // The JVM reports a SIGBUS on a mapping as InternalError: the file shrank after it was opened.
            throw new SafetensorsException(file, "file changed or was truncated while reading it", e);
        }
    }

    private void checkRange(long offset, long size) {
        if (offset < 0 || size < 0 || offset > length - size) {
            throw new IndexOutOfBoundsException("range [" + offset + ", " + (offset + size)
                    + ") outside the data section of " + length + " bytes");
        }
    }

    private synchronized MappedByteBuffer window(int index) {
        MappedByteBuffer w = windows[index];
        if (w == null) {
            long from = index * windowBytes;
            long size = Math.min(windowBytes, length - from);
            try {
                w = channel.map(FileChannel.MapMode.READ_ONLY, start + from, size);
            } catch (IOException e) {
                throw new SafetensorsException(file, "cannot map bytes [" + (start + from) + ", "
                        + (start + from + size) + "): " + e.getMessage(), e);
            }
            windows[index] = w;
        }
        return w;
    }
}
