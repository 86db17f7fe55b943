package dev.nnc.runtime.data;

import dev.nnc.runtime.weights.AtomicFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The parsed rows of a large CSV file as float32, so that later runs read them back in
 * a fraction of a second: {@code .NAME.nnc-cache} beside the file, or in
 * {@code $XDG_CACHE_HOME/nnc} (else {@code ~/.cache/nnc}) when that folder cannot be
 * written. A cache is used only when it was made from a file of the same size,
 * modification time and first 64 KB, read for the same columns and classes, and its
 * values still have the CRC-32C written with them; anything else is rebuilt, never
 * trusted.
 */
final class CsvCache {
    /** Files smaller than this parse faster than a cache would be checked. */
    static final long MIN_BYTES = 16 << 20;
    private static final long MAGIC = 0x3165686361436e6eL; // "nnCache1", little-endian
    private static final int HEADER_BYTES = 64;
    private static final int CHECKSUM_AT = 32;
    private static final int SLICE_FLOATS = 1 << 20;

    private final Path csv;
    private final long key;

    /** {@code layout}: what the parse depended on besides the file (target column, classes, widths). */
    CsvCache(Path csv, String layout) throws IOException {
        this.csv = csv;
        this.key = key(csv, layout);
    }

    /** The cached rows, when a cache of this file and layout is there and sound. */
    Optional<Dataset> load(String name) {
        for (Path file : new Path[]{beside(), elsewhere()}) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                if (channel.size() < HEADER_BYTES || channel.size() > Integer.MAX_VALUE - 8) continue; // caches are written up to 2 GB
                MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
                map.order(ByteOrder.LITTLE_ENDIAN);
                if (map.getLong(0) != MAGIC || map.getLong(8) != key) continue;
                int rows = map.getInt(16);
                int inputWidth = map.getInt(20);
                int targetWidth = map.getInt(24);
                long stored = map.getLong(CHECKSUM_AT);
                long xs = (long) rows * inputWidth;
                long ys = (long) rows * targetWidth;
                if (rows <= 0 || channel.size() != HEADER_BYTES + 4 * (xs + ys)) continue;
                CRC32C checksum = new CRC32C();
                checksum.update(map.slice(HEADER_BYTES, (int) (4 * (xs + ys))));
                if (checksum.getValue() != stored) continue;
                float[] x = new float[MemoryCheck.floats(name, rows, inputWidth, targetWidth)];
                float[] y = new float[(int) ys];
                map.position(HEADER_BYTES);
                map.asFloatBuffer().get(x);
                map.position(HEADER_BYTES + 4 * (int) xs);
                map.asFloatBuffer().get(y);
                return Optional.of(new Dataset(name, x, y, rows, inputWidth, targetWidth));
            } catch (IOException | RuntimeException e) {
                // missing, unreadable or damaged: parse the file again
            }
        }
        return Optional.empty();
    }

    /** Writes the cache beside the file, else in the cache folder; says nothing when neither can be written. */
    void store(Dataset data) {
        for (Path file : new Path[]{beside(), elsewhere()}) {
            try {
                AtomicFiles.write(file, channel -> write(channel, data));
                return;
            } catch (IOException | RuntimeException e) {
                // a read-only folder: try the next place
            }
        }
    }

    /** The header, then x and y in slices of a reused buffer, then the checksum of the values in the header. */
    private void write(FileChannel channel, Dataset data) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        header.putLong(MAGIC).putLong(key).putInt(data.rows()).putInt(data.inputWidth()).putInt(data.targetWidth());
        channel.write(header.clear(), 0);
        CRC32C checksum = new CRC32C();
        ByteBuffer slice = ByteBuffer.allocateDirect(SLICE_FLOATS * 4).order(ByteOrder.LITTLE_ENDIAN);
        long at = HEADER_BYTES;
        for (float[] values : new float[][]{data.x(), data.y()}) {
            for (int from = 0; from < values.length; from += SLICE_FLOATS) {
                int n = Math.min(SLICE_FLOATS, values.length - from);
                slice.clear();
                slice.asFloatBuffer().put(values, from, n);
                slice.limit(4 * n);
                checksum.update(slice);
                slice.flip();
                while (slice.hasRemaining()) at += channel.write(slice, at);
            }
        }
        header.clear().position(CHECKSUM_AT).limit(CHECKSUM_AT + 8);
        header.putLong(CHECKSUM_AT, checksum.getValue());
        channel.write(header, CHECKSUM_AT);
    }

    Path beside() {
        Path absolute = csv.toAbsolutePath();
        return absolute.resolveSibling("." + absolute.getFileName() + ".nnc-cache");
    }

    private Path elsewhere() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path root = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        String id = Long.toHexString(mix(0, csv.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8)));
        return root.resolve("nnc").resolve(csv.getFileName() + "-" + id + ".nnc-cache");
    }

    /** Size, modification time, the first 64 KB and the layout, mixed into 64 bits. */
    private static long key(Path csv, String layout) throws IOException {
        long h = mix(Files.size(csv), layout.getBytes(StandardCharsets.UTF_8));
        h = mix(h ^ Files.getLastModifiedTime(csv).toMillis(), new byte[0]);
        try (FileChannel channel = FileChannel.open(csv, StandardOpenOption.READ)) {
            ByteBuffer head = ByteBuffer.allocate((int) Math.min(64 << 10, channel.size()));
            while (head.hasRemaining() && channel.read(head, head.position()) > 0) {
                // read until full
            }
            return mix(h, head.array());
        }
    }

    private static long mix(long h, byte[] bytes) {
        h ^= 0x9E3779B97F4A7C15L;
        for (byte b : bytes) h = (h ^ b) * 0x100000001B3L;
        h ^= h >>> 31;
        return h * 0xBF58476D1CE4E5B9L;
    }
}
