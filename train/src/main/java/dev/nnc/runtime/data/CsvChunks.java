package dev.nnc.runtime.data;

import dev.nnc.runtime.UserError;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * A CSV file's data lines cut into chunks of about {@link #SIZE} bytes that begin and end
 * at line ends, so that each can be parsed on its own thread. Reads go straight to the
 * file at a position, so chunks need no shared state.
 */
final class CsvChunks {
    static final int SIZE = 8 << 20;

    record Chunk(int index, long begin, long end) {
        int length() {
            return (int) (end - begin);
        }
    }

    private CsvChunks() {}

    /** The chunks of [dataStart, size), of about {@code bytes} each: each after the first begins just after a newline. */
    static List<Chunk> of(FileChannel file, long dataStart, int bytes) throws IOException {
        long size = file.size();
        List<Chunk> chunks = new ArrayList<>();
        long begin = dataStart;
        while (begin < size) {
            long end = begin + bytes >= size ? size : lineEndAfter(file, begin + bytes, size);
            chunks.add(new Chunk(chunks.size(), begin, end));
            begin = end;
        }
        return chunks;
    }

    /** The position just after the first newline at or after {@code from}, or the end of the file. */
    private static long lineEndAfter(FileChannel file, long from, long size) throws IOException {
        ByteBuffer window = ByteBuffer.allocate(64 << 10);
        for (long at = from; at < size; at += window.capacity()) {
            window.clear();
            int n = read(file, window, at);
            for (int i = 0; i < n; i++) {
                if (window.get(i) == '\n') return at + i + 1;
            }
        }
        return size;
    }

    /** Reads a chunk into the start of {@code buffer} (at least its length). */
    static void read(FileChannel file, Chunk chunk, byte[] buffer) throws IOException {
        ByteBuffer target = ByteBuffer.wrap(buffer, 0, chunk.length());
        long at = chunk.begin();
        while (target.hasRemaining()) {
            int n = file.read(target, at);
            if (n < 0) throw new UserError("error: the file shrank while it was read");
            at += n;
        }
    }

    private static int read(FileChannel file, ByteBuffer buffer, long at) throws IOException {
        int total = 0;
        while (buffer.hasRemaining()) {
            int n = file.read(buffer, at + total);
            if (n < 0) break;
            total += n;
        }
        return total;
    }
}
