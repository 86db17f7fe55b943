package dev.nnc.runtime.data;

import dev.nnc.runtime.UserError;
import dev.nnc.runtime.spec.ModelSpec.TargetKind;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Parses a CSV file's data lines from bytes on every core. The file is cut into
 * {@link CsvChunks} at line ends; a first pass counts each chunk's lines and rows, so
 * that the second parses every chunk straight into its place in the result and an
 * error names its line, whichever thread finds it (the first in the file wins). A line
 * of plain ASCII fields is parsed without a String; a line with quotes or other
 * characters, or one that is wrong, goes through {@link CsvReader}'s own line parser,
 * so values and messages are the same as reading it line by line.
 */
final class ParallelCsvParser {
    private final CsvReader reader;
    private final CsvReader.Columns columns;
    private final String name;
    private final int inputWidth;
    private final int targetWidth;
    private final TargetKind targetKind;
    private final byte[][] classNames;
    private final int chunkBytes;

    ParallelCsvParser(CsvReader reader, CsvReader.Columns columns, String name, int inputWidth, int targetWidth,
                      TargetKind targetKind, List<String> classNames, int chunkBytes) {
        this.chunkBytes = chunkBytes;
        this.reader = reader;
        this.columns = columns;
        this.name = name;
        this.inputWidth = inputWidth;
        this.targetWidth = targetWidth;
        this.targetKind = targetKind;
        this.classNames = classNames.stream().map(c -> c.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
    }

    /** Counts of a chunk's lines (for line numbers) and its non-blank lines (rows). */
    private record Count(int lines, int rows) {}

    /** A file's chunks, each one's first line number and first row, and the rows in all. */
    record Plan(FileChannel file, long dataStart, List<CsvChunks.Chunk> chunks, int[] firstLine, int[] firstRow, long rows) {
        int rowsOf(int chunk) {
            return (int) ((chunk + 1 < chunks.size() ? firstRow[chunk + 1] : rows) - firstRow[chunk]);
        }
    }

    /** The first pass: where the chunks are, and how many lines and rows each holds. */
    Plan count(FileChannel file, long dataStart) throws IOException {
        List<CsvChunks.Chunk> chunks = CsvChunks.of(file, dataStart, chunkBytes);
        return withPool(chunks, (pool, buffers) -> {
            List<Future<Count>> counting = new ArrayList<>();
            for (CsvChunks.Chunk c : chunks) counting.add(pool.submit(() -> count(file, c, buffers.get())));
            int[] firstLine = new int[chunks.size()];
            int[] firstRow = new int[chunks.size()];
            long rows = 0;
            int line = columns.lineNumber() + 1;
            for (int i = 0; i < chunks.size(); i++) {
                Count count = await(counting.get(i));
                firstLine[i] = line;
                firstRow[i] = (int) Math.min(rows, Integer.MAX_VALUE);
                line += count.lines();
                rows += count.rows();
            }
            if (rows == 0) throw new UserError(name + ": error: no data rows after the header");
            if (rows > Integer.MAX_VALUE - 8) {
                throw new UserError(String.format("%s: error: %,d rows are more than nnc reads from one file (2^31)", name, rows));
            }
            return new Plan(file, dataStart, chunks, firstLine, firstRow, rows);
        });
    }

    /** The second pass, into arrays on the heap (which must fit: see {@link MemoryCheck}). */
    Dataset parse(Plan plan, LoadProgress progress) throws IOException {
        float[] x = new float[MemoryCheck.floats(name, plan.rows(), inputWidth, targetWidth)];
        float[] y = new float[(int) plan.rows() * targetWidth];
        forEachChunk(plan, progress, (c, b) -> parseChunk(b, c.length(), plan.firstLine()[c.index()], x, y, plan.firstRow()[c.index()]));
        return new Dataset(name, x, y, (int) plan.rows(), inputWidth, targetWidth);
    }

    /**
     * The second pass, into a file instead (the rows of data that do not fit the heap):
     * all rows' inputs from {@code xStart}, their targets from {@code yStart}, as float32.
     */
    void parseInto(Plan plan, FileChannel out, long xStart, long yStart, LoadProgress progress) throws IOException {
        forEachChunk(plan, progress, (c, b) -> {
            int rows = plan.rowsOf(c.index());
            float[] x = new float[rows * inputWidth];
            float[] y = new float[rows * targetWidth];
            parseChunk(b, c.length(), plan.firstLine()[c.index()], x, y, 0);
            long first = plan.firstRow()[c.index()];
            write(out, x, xStart + 4 * first * inputWidth);
            write(out, y, yStart + 4 * first * targetWidth);
        });
    }

    private static void write(FileChannel out, float[] values, long at) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        while (bytes.hasRemaining()) at += out.write(bytes, at);
    }

    private interface ChunkWork {
        void run(CsvChunks.Chunk chunk, byte[] bytes) throws IOException;
    }

    /** Reads each chunk on the pool and gives it to the work; the first chunk's error wins. */
    private void forEachChunk(Plan plan, LoadProgress progress, ChunkWork work) throws IOException {
        withPool(plan.chunks(), (pool, buffers) -> {
            AtomicLong done = new AtomicLong();
            List<Future<?>> parsing = new ArrayList<>();
            for (CsvChunks.Chunk c : plan.chunks()) {
                parsing.add(pool.submit(() -> {
                    byte[] b = buffers.get();
                    CsvChunks.read(plan.file(), c, b);
                    work.run(c, b);
                    done.addAndGet(c.length());
                    return null;
                }));
            }
            awaitAll(parsing, done, plan.file().size() - plan.dataStart(), progress);
            return null;
        });
    }

    private interface PoolWork<T> {
        T run(ExecutorService pool, ThreadLocal<byte[]> buffers) throws IOException;
    }

    /** A thread per core (at most one per chunk), each with a buffer for the longest chunk. */
    private static <T> T withPool(List<CsvChunks.Chunk> chunks, PoolWork<T> work) throws IOException {
        int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), chunks.size()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "nnc-csv");
            t.setDaemon(true);
            return t;
        });
        int longest = chunks.stream().mapToInt(CsvChunks.Chunk::length).max().orElse(0);
        try {
            return work.run(pool, ThreadLocal.withInitial(() -> new byte[longest]));
        } finally {
            pool.shutdownNow();
        }
    }

    private static Count count(FileChannel file, CsvChunks.Chunk chunk, byte[] b) throws IOException {
        CsvChunks.read(file, chunk, b);
        int n = chunk.length();
        int lines = 0;
        int rows = 0;
        boolean blank = true;
        for (int i = 0; i < n; i++) {
            byte c = b[i];
            if (c == '\n') {
                lines++;
                if (!blank) rows++;
                blank = true;
            } else if (c != ' ' && c != '\t' && c != '\r') {
                blank = false;
            }
        }
        if (n > 0 && b[n - 1] != '\n') {
            lines++;
            if (!blank) rows++;
        }
        return new Count(lines, rows);
    }

    private void parseChunk(byte[] b, int n, int lineNumber, float[] x, float[] y, int row) {
        int[][] targetFields = new int[2][columns.target().length]; // where each target field begins and ends
        int start = 0;
        while (start < n) {
            int end = start;
            while (end < n && b[end] != '\n') end++;
            int stop = end > start && b[end - 1] == '\r' ? end - 1 : end;
            if (!blank(b, start, stop)) {
                parseLine(b, start, stop, lineNumber, x, row * inputWidth, y, row * targetWidth, targetFields);
                row++;
            }
            lineNumber++;
            start = end + 1;
        }
    }

    private static boolean blank(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r') return false;
        }
        return true;
    }

    private void parseLine(byte[] b, int from, int to, int lineNumber, float[] x, int xAt, float[] y, int yAt,
                           int[][] targetFields) {
        int fields = 1;
        for (int i = from; i < to; i++) {
            if (b[i] == '"' || b[i] < 0) {
                slowLine(b, from, to, lineNumber, x, xAt, y, yAt);
                return;
            }
            if (b[i] == ',') fields++;
        }
        List<String> header = columns.header();
        if (fields != header.size()) { // the line parser says so, in its words
            slowLine(b, from, to, lineNumber, x, xAt, y, yAt);
            return;
        }
        int[] targetFrom = targetFields[0];
        int[] targetTo = targetFields[1];
        int start = from;
        for (int c = 0; c < fields; c++) {
            int end = start;
            while (end < to && b[end] != ',') end++;
            int s = start;
            int e = end;
            while (s < e && (b[s] & 0xff) <= ' ') s++;
            while (e > s && (b[e - 1] & 0xff) <= ' ') e--;
            if (columns.target()[c]) {
                targetFrom[c] = s;
                targetTo[c] = e;
            } else {
                float v = FastFloat.parse(b, s, e);
                x[xAt++] = v == v ? v : CsvReader.number(CsvReader.where(name, lineNumber, header.get(c)), text(b, s, e));
            }
            start = end + 1;
        }
        for (int c : columns.targetOrder()) y[yAt++] = label(b, targetFrom[c], targetTo[c], lineNumber, header.get(c));
        if (columns.targetOrder().length == 0) java.util.Arrays.fill(y, yAt, yAt + targetWidth, 0);
    }

    private float label(byte[] b, int from, int to, int lineNumber, String column) {
        if (targetKind == TargetKind.CLASS) {
            for (int k = 0; k < classNames.length; k++) {
                if (java.util.Arrays.equals(b, from, to, classNames[k], 0, classNames[k].length)) return k;
            }
        } else if (targetKind == TargetKind.REAL) {
            float v = FastFloat.parse(b, from, to);
            if (v == v) return v;
        } else if (to - from == 1 && (b[from] == '0' || b[from] == '1')) {
            return b[from] - '0';
        }
        return reader.label(CsvReader.where(name, lineNumber, column), text(b, from, to));
    }

    private void slowLine(byte[] b, int from, int to, int lineNumber, float[] x, int xAt, float[] y, int yAt) {
        String line;
        try {
            line = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b, from, to - from)).toString();
        } catch (CharacterCodingException e) {
            throw new UserError(name + ":" + lineNumber + ": error: not UTF-8 text");
        }
        reader.row(columns, name, lineNumber, line, x, xAt, y, yAt);
    }

    private static String text(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.UTF_8);
    }

    /** Waits for every chunk, telling the progress after the first second; the first chunk's error wins. */
    private void awaitAll(List<Future<?>> chunks, AtomicLong done, long total, LoadProgress progress) throws IOException {
        long start = System.nanoTime();
        long told = 0; // when progress was last told (0: never)
        for (Future<?> chunk : chunks) {
            boolean finished = false;
            while (!finished) {
                try {
                    chunk.get(250, TimeUnit.MILLISECONDS);
                    finished = true;
                } catch (TimeoutException e) {
                    // still parsing: time to tell?
                } catch (InterruptedException | ExecutionException e) {
                    rethrow(e);
                }
                long now = System.nanoTime();
                if (now - start > 1_000_000_000L && now - told > 250_000_000L) {
                    progress.update(name, done.get(), total);
                    told = now;
                }
            }
        }
        if (told != 0) progress.finished(name, total, (System.nanoTime() - start) / 1e9);
    }

    private static <T> T await(Future<T> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException | ExecutionException e) {
            rethrow(e);
            throw new IllegalStateException(e);
        }
    }

    private static void rethrow(Exception e) throws IOException {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException r) throw r;
        if (cause instanceof IOException io) throw io;
        if (cause instanceof Error error) throw error;
        throw new IllegalStateException(cause);
    }
}
