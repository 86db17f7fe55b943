package dev.nnc.runtime.data;

import dev.nnc.runtime.UserError;
import dev.nnc.runtime.spec.ModelSpec;
import dev.nnc.runtime.spec.ModelSpec.TargetKind;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a CSV file with a header row: the target column by name, every other column
 * an input feature, in order. Every field is checked; an error names the file, the
 * line, the column, what was expected and what was found. Quoted fields follow
 * RFC 4180 within a line. (Written here rather than taken from Commons CSV, which
 * would bring commons-io and commons-codec into every model jar.)
 */
public final class CsvReader {
    private final ModelSpec spec;
    private final String targetColumn;

    public CsvReader(ModelSpec spec, String targetColumn) {
        this.spec = spec;
        this.targetColumn = targetColumn;
    }

    public Dataset read(Path file) {
        return read(file, LoadProgress.NONE);
    }

    /** The file's rows, parsed on every core (see {@link ParallelCsvParser}), or read back from its cache (see {@link CsvCache}). */
    public Dataset read(Path file, LoadProgress progress) {
        return read(file, progress, CsvChunks.SIZE, CsvCache.MIN_BYTES);
    }

    /**
     * The same in chunks of about {@code chunkBytes} (tests make them small, to cut files of
     * a few lines), through a {@link CsvCache} for files of {@code cacheBytes} or more.
     */
    Dataset read(Path file, LoadProgress progress, int chunkBytes, long cacheBytes) {
        String name = file.toString();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            Header header = header(name, channel);
            Columns columns = columns(name, header.lineNumber(), header.text(), false);
            boolean large = channel.size() >= cacheBytes;
            // a small file's cache is made only when its rows do not fit the heap: no cache key read for it otherwise
            CsvCache cache = large || Boolean.getBoolean("nnc.data.mapped") ? cache(file) : null;
            java.util.Optional<Dataset> cached = cache == null ? java.util.Optional.empty() : cache.load(name);
            if (cached.isPresent()) return cached.get();
            // a chunk's bytes and floats are on the heap once per thread: small heaps get small chunks
            int chunk = (int) Math.min(chunkBytes, Math.max(64 << 10, Runtime.getRuntime().maxMemory() / 64));
            ParallelCsvParser parser = new ParallelCsvParser(this, columns, name, spec.inputWidth(), spec.targetWidth(),
                    spec.targetKind(), spec.classNames(), chunk);
            ParallelCsvParser.Plan plan = parser.count(channel, header.end());
            int rows = (int) plan.rows();
            if (!MemoryCheck.fitsInHeap(rows, spec.inputWidth(), spec.targetWidth())) {
                // more than the heap holds: parsed into the cache file, and trained on where it lies
                if (cache == null) cache = cache(file);
                java.util.Optional<Dataset> mapped = cache.writeAndRead(name, rows, spec.inputWidth(), spec.targetWidth(),
                        (out, xStart, yStart) -> parser.parseInto(plan, out, xStart, yStart, progress));
                if (mapped.isPresent()) return mapped.get();
            }
            Dataset data = parser.parse(plan, progress);
            if (large) cache.store(data);
            return data;
        } catch (NoSuchFileException e) {
            throw new UserError(file + ": error: no such file");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new UserError(file + ": error: not a UTF-8 text file");
        } catch (IOException e) {
            throw new UserError(file + ": error: cannot read: " + e.getMessage());
        }
    }

    /**
     * Inputs only, for prediction: every column but the target's (which may be absent)
     * is a feature; the targets of the result are zeros.
     */
    public Dataset readInputs(Path file) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(file.toString(), in, true);
        } catch (NoSuchFileException e) {
            throw new UserError(file + ": error: no such file");
        } catch (IOException e) {
            throw new UserError(file + ": error: cannot read: " + e.getMessage());
        }
    }

    /** The names of the input columns, in order (the header without the target's columns); empty if unreadable. */
    public List<String> inputColumns(Path file) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line = in.readLine();
            while (line != null && line.isBlank()) line = in.readLine();
            if (line == null) return List.of();
            List<String> columns = new java.util.ArrayList<>(fields(file.toString(), 1, line));
            columns.removeAll(targetColumns(spec.targetWidth()));
            return List.copyOf(columns);
        } catch (IOException | UserError e) {
            return List.of();
        }
    }

    /** The cache of this file as read for this model: its key depends on the target column, the classes and the widths. */
    private CsvCache cache(Path file) throws IOException {
        return new CsvCache(file, targetColumn + "|" + spec.targetKind() + "|" + spec.classNames() + "|" + spec.inputWidth()
                + "|" + spec.targetWidth());
    }

    /** The header line (the first that is not blank), its line number, and where the data after it begins. */
    private record Header(String text, int lineNumber, long end) {}

    private static Header header(String name, FileChannel channel) throws IOException {
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(64 << 10);
        int lineNumber = 1;
        long position = 0;
        while (true) {
            buffer.clear();
            int n = channel.read(buffer, position);
            if (n <= 0) break;
            for (int i = 0; i < n; i++) {
                byte c = buffer.get(i);
                if (c != '\n') {
                    line.write(c);
                    continue;
                }
                String text = decode(name, line.toByteArray());
                if (!text.isBlank()) return new Header(text, lineNumber, position + i + 1);
                line.reset();
                lineNumber++;
            }
            position += n;
        }
        String text = decode(name, line.toByteArray());
        return new Header(text.isBlank() ? null : text, lineNumber, position);
    }

    private static String decode(String name, byte[] line) throws java.nio.charset.CharacterCodingException {
        int n = line.length > 0 && line[line.length - 1] == '\r' ? line.length - 1 : line.length;
        return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(line, 0, n)).toString();
    }

    private Dataset read(String name, BufferedReader in, boolean inputsOnly) throws IOException {
        String headerLine = in.readLine();
        int lineNumber = 1;
        while (headerLine != null && headerLine.isBlank()) {
            headerLine = in.readLine();
            lineNumber++;
        }
        Columns columns = columns(name, lineNumber, headerLine, inputsOnly);
        FloatList x = new FloatList();
        FloatList y = new FloatList();
        float[] rowX = new float[spec.inputWidth()];
        float[] rowY = new float[spec.targetWidth()];
        int rows = 0;
        String line;
        while ((line = in.readLine()) != null) {
            lineNumber++;
            if (line.isBlank()) continue;
            row(columns, name, lineNumber, line, rowX, 0, rowY, 0);
            for (float v : rowX) x.add(v);
            for (float v : rowY) y.add(v);
            rows++;
        }
        if (rows == 0) throw new UserError(name + ": error: no data rows after the header");
        return new Dataset(name, x.toArray(), y.toArray(), rows, spec.inputWidth(), spec.targetWidth());
    }

    /**
     * The header's columns: which hold the target (in the target's order) and which the
     * inputs. {@code inputsOnly}: for prediction, where the target's columns may be absent.
     */
    record Columns(List<String> header, boolean[] target, int[] targetOrder, int lineNumber) {}

    Columns columns(String name, int lineNumber, String headerLine, boolean inputsOnly) {
        if (headerLine == null) throw new UserError(name + ": error: the file is empty; expected a header row and data");
        List<String> header = fields(name, lineNumber, headerLine);
        int inputWidth = spec.inputWidth();
        int targetWidth = spec.targetWidth();
        List<String> targetNames = targetColumns(targetWidth);
        java.util.Set<Integer> targets = new java.util.LinkedHashSet<>();
        for (String column : targetNames) {
            int index = header.indexOf(column);
            if (index >= 0) targets.add(index);
        }
        if (targets.size() < targetNames.size() && !(inputsOnly && targets.isEmpty())) {
            throw new UserError(name + ":" + lineNumber + ": error: no column" + (targetNames.size() > 1 ? "s" : "")
                    + " named " + String.join(", ", targetNames.stream().map(c -> "'" + c + "'").toList())
                    + " for the target; the columns are " + String.join(", ", header));
        }
        int features = header.size() - targets.size();
        if (features != inputWidth) {
            throw new UserError(name + ":" + lineNumber + ": error: expected " + inputWidth + " input columns besides '"
                    + targetColumn + "' for input " + spec.inputName() + spec.inputShape() + ", found " + features);
        }
        boolean[] target = new boolean[header.size()];
        for (int c : targets) target[c] = true;
        return new Columns(header, target, targets.stream().mapToInt(Integer::intValue).toArray(), lineNumber);
    }

    /**
     * One data line, checked, into x from {@code xAt} and y from {@code yAt}: the inputs in
     * column order, then the target's values (zeros when the file has no target columns).
     */
    void row(Columns columns, String name, int lineNumber, String line, float[] x, int xAt, float[] y, int yAt) {
        List<String> fields = fields(name, lineNumber, line);
        List<String> header = columns.header();
        if (fields.size() != header.size()) {
            throw new UserError(name + ":" + lineNumber + ": error: expected " + header.size() + " fields, found "
                    + fields.size());
        }
        for (int c = 0; c < fields.size(); c++) {
            if (!columns.target()[c]) x[xAt++] = number(where(name, lineNumber, header.get(c)), fields.get(c));
        }
        for (int c : columns.targetOrder()) y[yAt++] = label(where(name, lineNumber, header.get(c)), fields.get(c));
        if (columns.targetOrder().length == 0) java.util.Arrays.fill(y, yAt, yAt + spec.targetWidth(), 0);
    }

    static String where(String name, int lineNumber, String column) {
        return name + ":" + lineNumber + ": error: column '" + column + "': ";
    }

    /**
     * The target's columns: the one named, or for a target of d > 1 reals the names
     * listed as "a,b,c", or NAME_0 ... NAME_d-1.
     */
    private List<String> targetColumns(int width) {
        if (targetColumn.contains(",")) {
            List<String> names = List.of(targetColumn.split(","));
            if (names.size() != width) {
                throw new UserError("error: target columns " + targetColumn + " are " + names.size()
                        + ", but the target " + spec.targetName() + " has " + width + " values");
            }
            return names;
        }
        if (width == 1) return List.of(targetColumn);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < width; i++) names.add(targetColumn + "_" + i);
        return names;
    }

    static float number(String where, String field) {
        String text = field.trim();
        try {
            float v = Float.parseFloat(text);
            if (!Float.isFinite(v)) throw new UserError(where + "expected a finite number, found '" + text + "'");
            return v;
        } catch (NumberFormatException e) {
            throw new UserError(where + "expected a number, found '" + text + "'");
        }
    }

    float label(String where, String field) {
        String text = field.trim();
        switch (spec.targetKind()) {
            case REAL:
                return number(where, text);
            case BINARY:
                if (text.equals("0") || text.equals("0.0") || text.equalsIgnoreCase("false")) return 0;
                if (text.equals("1") || text.equals("1.0") || text.equalsIgnoreCase("true")) return 1;
                throw new UserError(where + "expected 0 or 1, found '" + text + "'");
            default:
                List<String> classes = spec.classNames();
                int index = classes.indexOf(text);
                if (index >= 0) return index;
                try {
                    int k = Integer.parseInt(text);
                    if (k >= 0 && k < classes.size()) return k;
                } catch (NumberFormatException ignored) {
                    // not an index either
                }
                throw new UserError(where + "unknown class '" + text + "'; expected one of "
                        + String.join(", ", classes) + (classes.get(0).equals("0") ? "" : " (or 0.." + (classes.size() - 1) + ")"));
        }
    }

    /** Splits a line into fields; a field in double quotes may hold commas and doubled quotes. */
    static List<String> fields(String name, int lineNumber, String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"' && field.toString().isBlank()) {
                quoted = true;
                field.setLength(0);
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        if (quoted) throw new UserError(name + ":" + lineNumber + ": error: a quoted field is not closed");
        fields.add(field.toString());
        return fields;
    }

    /** A growable float array, to avoid boxing a million floats. */
    static final class FloatList {
        private float[] data = new float[1024];
        private int size;

        void add(float v) {
            if (size == data.length) data = java.util.Arrays.copyOf(data, size * 2);
            data[size++] = v;
        }

        float[] toArray() {
            return java.util.Arrays.copyOf(data, size);
        }
    }
}
