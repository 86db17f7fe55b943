package dev.nnc.runtime.data;

import dev.nnc.runtime.weights.AtomicFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The parsed rows of a large CSV file as float32, so that later runs read them back in
 * a fraction of a second, and so that data larger than the heap can be trained on
 * where it lies ({@link MappedRows}): {@code .NAME.nnc-cache} beside the file, or in
 * {@code $XDG_CACHE_HOME/nnc} (else {@code ~/.cache/nnc}) when that folder cannot be
 * written. A cache is used only when it was made from a file of the same size,
 * modification time and first 64 KB, read for the same columns and classes, and its
 * values still have the CRC-32C written with them; anything else is rebuilt, never
 * trusted. Layout: a 64-byte header, every row's inputs, every row's targets.
 */
final class CsvCache {
    /** Files smaller than this parse faster than a cache would be checked. */
    static final long MIN_BYTES = 16 << 20;
    private static final long MAGIC = 0x3165686361436e6eL; // "nnCache1", little-endian
    private static final int HEADER_BYTES = 64;
    private static final int CHECKSUM_AT = 32;
    private static final int SLICE_FLOATS = 1 << 20;
    private static final long WINDOW_BYTES = 1L << 30;

    private final Path csv;
    private final long key;

    /** {@code layout}: what the parse depended on besides the file (target column, classes, widths). */
    CsvCache(Path csv, String layout) throws IOException {
        this.csv = csv;
        this.key = key(csv, layout);
    }

    /** Writes the values of a file's rows, inputs from {@code xStart} and targets from {@code yStart}. */
    interface Values {
        void write(FileChannel out, long xStart, long yStart) throws IOException;
    }

    /**
     * The cached rows, when a cache of this file and layout is there and sound: arrays on
     * the heap when they fit it, else the file mapped.
     */
    Optional<Dataset> load(String name) {
        for (Path file : new Path[]{beside(), elsewhere()}) {
            Optional<Dataset> data = read(file, name, true);
            if (data.isPresent()) return data;
        }
        return Optional.empty();
    }

    /** One cache file, if it is this file's for this layout; its checksum checked when {@code verify}. */
    private Optional<Dataset> read(Path file, String name, boolean verify) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            if (channel.read(header, 0) != HEADER_BYTES || header.getLong(0) != MAGIC || header.getLong(8) != key) {
                return Optional.empty();
            }
            int rows = header.getInt(16);
            int inputWidth = header.getInt(20);
            int targetWidth = header.getInt(24);
            long values = (long) rows * (inputWidth + targetWidth);
            if (rows <= 0 || channel.size() != HEADER_BYTES + 4 * values) return Optional.empty();
            if (verify && checksum(channel) != header.getLong(CHECKSUM_AT)) return Optional.empty();
            MappedRows mapped = MappedRows.map(channel, HEADER_BYTES, rows, inputWidth, targetWidth);
            if (!MemoryCheck.fitsInHeap(rows, inputWidth, targetWidth)) return Optional.of(Dataset.stored(name, mapped));
            float[] x = new float[rows * inputWidth];
            float[] y = new float[rows * targetWidth];
            mapped.copyAll(x, y);
            return Optional.of(new Dataset(name, x, y, rows, inputWidth, targetWidth));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // missing, unreadable or damaged: parse the file again
        }
    }

    /** Writes the cache of rows on the heap, beside the file, else in the cache folder; says nothing when neither can be written. */
    void store(Dataset data) {
        write(data.rows(), data.inputWidth(), data.targetWidth(), (out, xStart, yStart) -> {
            writeFloats(out, data.x(), data.rows() * data.inputWidth(), xStart);
            writeFloats(out, data.y(), data.rows() * data.targetWidth(), yStart);
        });
    }

    /**
     * Writes a cache whose values come from {@code values} and reads it back (mapped when
     * it does not fit the heap) without checking again the checksum it has just computed;
     * empty when it could be written nowhere.
     */
    Optional<Dataset> writeAndRead(String name, int rows, int inputWidth, int targetWidth, Values values) {
        Optional<Path> written = write(rows, inputWidth, targetWidth, values);
        return written.isEmpty() ? Optional.empty() : Optional.of(read(written.get(), name, false).orElseThrow(
                () -> new dev.nnc.runtime.UserError(name + ": error: its cache was written but cannot be read back: "
                        + written.get())));
    }

    /** Writes a cache whose values come from {@code values}; where, if it could be written anywhere. */
    private Optional<Path> write(int rows, int inputWidth, int targetWidth, Values values) {
        for (Path file : new Path[]{beside(), elsewhere()}) {
            try {
                AtomicFiles.write(file, channel -> {
                    long yStart = HEADER_BYTES + 4L * rows * inputWidth;
                    values.write(channel, HEADER_BYTES, yStart);
                    ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
                    header.putLong(MAGIC).putLong(key).putInt(rows).putInt(inputWidth).putInt(targetWidth);
                    header.putLong(CHECKSUM_AT, checksum(channel));
                    channel.write(header.clear(), 0);
                });
                return Optional.of(file);
            } catch (IOException | RuntimeException e) {
                // a read-only folder: try the next place
            }
        }
        return Optional.empty();
    }

    /** The first {@code length} values, from byte {@code at} of the file. */
    private static void writeFloats(FileChannel out, float[] values, int length, long at) throws IOException {
        ByteBuffer slice = ByteBuffer.allocateDirect(SLICE_FLOATS * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int from = 0; from < length; from += SLICE_FLOATS) {
            int n = Math.min(SLICE_FLOATS, length - from);
            slice.clear();
            slice.asFloatBuffer().put(values, from, n);
            slice.limit(4 * n);
            while (slice.hasRemaining()) at += out.write(slice, at);
        }
    }

    /** The CRC-32C of everything after the header, read through mappings of at most 1 GB. */
    private static long checksum(FileChannel channel) throws IOException {
        CRC32C crc = new CRC32C();
        long size = channel.size();
        for (long at = HEADER_BYTES; at < size; at += WINDOW_BYTES) {
            crc.update(channel.map(FileChannel.MapMode.READ_ONLY, at, Math.min(WINDOW_BYTES, size - at)));
        }
        return crc.getValue();
    }

    private Path beside() {
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
