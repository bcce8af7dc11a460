package dev.tokenreduce.core.safetensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Reads and checks the length prefix and the header bytes of a safetensors file. The only allocation, the header
 * buffer, happens after its length has been checked against the file size and the 100 MB limit.
 */
final class HeaderReader {

    /** Same limit as the reference implementation; real headers are a few hundred kilobytes at most. */
    static final long MAX_HEADER_BYTES = 100_000_000L;

    private HeaderReader() {}

    static SafetensorsHeader read(Path file, FileChannel channel) throws IOException {
        long fileSize = channel.size();
        if (fileSize < 8) {
            throw new SafetensorsException(file, "file is " + fileSize
                    + " bytes, shorter than the 8-byte header length prefix (empty or truncated file)");
        }
        ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(file, channel, prefix, 0);
        long headerLength = prefix.getLong(0);
        // Unsigned comparison: a length with the top bit set is huge, not negative.
        if (Long.compareUnsigned(headerLength, MAX_HEADER_BYTES) > 0) {
            throw new SafetensorsException(file, "header length " + Long.toUnsignedString(headerLength)
                    + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes (not a safetensors file, or corrupt)");
        }
        if (headerLength > fileSize - 8) {
            throw new SafetensorsException(file, "header length " + headerLength + " exceeds the "
                    + (fileSize - 8) + " bytes after the length prefix (truncated file?)");
        }
        if (headerLength < 2) {
            throw new SafetensorsException(file, "header length " + headerLength
                    + " is too small for a JSON object");
        }
        ByteBuffer json = ByteBuffer.allocate((int) headerLength);
        readFully(file, channel, json, 8);
        long dataStart = 8 + headerLength;
        return HeaderParser.parse(file, json.array(), dataStart, fileSize - dataStart);
    }

    private static void readFully(Path file, FileChannel channel, ByteBuffer dst, long position) throws IOException {
        long pos = position;
        while (dst.hasRemaining()) {
            int n = channel.read(dst, pos);
            if (n < 0) {
                throw new SafetensorsException(file, "unexpected end of file at byte " + pos + " while reading the header");
            }
            pos += n;
        }
    }
}
