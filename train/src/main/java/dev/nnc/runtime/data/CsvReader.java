package dev.nnc.runtime.data;

import dev.nnc.runtime.UserError;
import dev.nnc.runtime.spec.ModelSpec;
import dev.nnc.runtime.spec.ModelSpec.TargetKind;

import java.io.BufferedReader;
import java.io.IOException;
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
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(file.toString(), in);
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

    Dataset read(String name, BufferedReader in) throws IOException {
        return read(name, in, false);
    }

    private Dataset read(String name, BufferedReader in, boolean inputsOnly) throws IOException {
        String headerLine = in.readLine();
        int lineNumber = 1;
        while (headerLine != null && headerLine.isBlank()) {
            headerLine = in.readLine();
            lineNumber++;
        }
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
        FloatList x = new FloatList();
        FloatList y = new FloatList();
        int rows = 0;
        String line;
        while ((line = in.readLine()) != null) {
            lineNumber++;
            if (line.isBlank()) continue;
            List<String> fields = fields(name, lineNumber, line);
            if (fields.size() != header.size()) {
                throw new UserError(name + ":" + lineNumber + ": error: expected " + header.size() + " fields, found "
                        + fields.size());
            }
            for (int c = 0; c < fields.size(); c++) {
                String where = name + ":" + lineNumber + ": error: column '" + header.get(c) + "': ";
                if (!targets.contains(c)) x.add(number(where, fields.get(c)));
            }
            for (int c : targets) {
                y.add(label(name + ":" + lineNumber + ": error: column '" + header.get(c) + "': ", fields.get(c)));
            }
            if (targets.isEmpty()) for (int i = 0; i < targetWidth; i++) y.add(0);
            rows++;
        }
        if (rows == 0) throw new UserError(name + ": error: no data rows after the header");
        return new Dataset(name, x.toArray(), y.toArray(), rows, inputWidth, targetWidth);
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

    private static float number(String where, String field) {
        String text = field.trim();
        try {
            float v = Float.parseFloat(text);
            if (!Float.isFinite(v)) throw new UserError(where + "expected a finite number, found '" + text + "'");
            return v;
        } catch (NumberFormatException e) {
            throw new UserError(where + "expected a number, found '" + text + "'");
        }
    }

    private float label(String where, String field) {
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
