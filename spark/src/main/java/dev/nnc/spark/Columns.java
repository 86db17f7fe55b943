package dev.nnc.spark;

import dev.nnc.runtime.UserError;
import dev.nnc.runtime.spec.ModelSpec;
import dev.nnc.runtime.spec.ModelSpec.TargetKind;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * Which columns of a table are the model's features and target, checked against the
 * schema on the driver, before any task runs: the target column is named as in the
 * model; the features are the other numeric columns in order, or one array column, or
 * one MLlib vector column.
 * Converts a partition's rows to a {@link RowsChunk}, naming the row and column of any
 * value it cannot use.
 */
record Columns(String[] names, int[] features, int array, boolean vector, int target, TargetKind kind, List<String> classes,
               int inputWidth, int targetWidth) implements Serializable {

    static Columns of(StructType schema, ModelSpec spec) {
        String[] names = schema.fieldNames();
        int target = Arrays.asList(names).indexOf(spec.targetName());
        if (target < 0) {
            throw new UserError("error: the data has no column '" + spec.targetName() + "' for the target of "
                    + spec.name() + "; its columns: " + String.join(", ", names));
        }
        checkTarget(schema.fields()[target], spec);
        List<Integer> features = new ArrayList<>();
        for (int c = 0; c < names.length; c++) if (c != target) features.add(c);
        int width = spec.inputWidth();
        DataType single = features.size() == 1 ? schema.fields()[features.get(0)].dataType() : null;
        if (single instanceof ArrayType a) {
            if (!(a.elementType() instanceof NumericType)) {
                throw new UserError("error: column '" + names[features.get(0)] + "' is an array of "
                        + a.elementType().simpleString() + ", not of numbers");
            }
            return new Columns(names, new int[0], features.get(0), false, target, spec.targetKind(), spec.classNames(), width,
                    spec.targetWidth());
        }
        if (single != null && isVector(single)) {
            return new Columns(names, new int[0], features.get(0), true, target, spec.targetKind(), spec.classNames(), width,
                    spec.targetWidth());
        }
        for (int c : features) {
            DataType type = schema.fields()[c].dataType();
            if (!(type instanceof NumericType)) {
                throw new UserError("error: column '" + names[c] + "' holds " + type.simpleString() + ", not numbers: the "
                        + "features are the numeric columns besides '" + spec.targetName() + "' (or one array column)");
            }
        }
        if (features.size() != width) {
            throw new UserError("error: " + spec.name() + "'s input " + spec.inputName() + " " + spec.inputShape() + " takes "
                    + width + " features; the data has " + features.size() + " columns besides '" + spec.targetName() + "'");
        }
        return new Columns(names, features.stream().mapToInt(Integer::intValue).toArray(), -1, false, target, spec.targetKind(),
                spec.classNames(), width, spec.targetWidth());
    }

    /** An MLlib vector column (what VectorAssembler makes), known by its type's name: nnc does not depend on MLlib. */
    private static boolean isVector(DataType type) {
        return type.typeName().equals("vector");
    }

    /** An MLlib vector's values, through its toArray(). */
    private static List<Object> vectorValues(Object vector) {
        if (vector == null) return null;
        try {
            double[] values = (double[]) vector.getClass().getMethod("toArray").invoke(vector);
            List<Object> list = new ArrayList<>(values.length);
            for (double v : values) list.add(v);
            return list;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("an MLlib vector without toArray(): " + vector.getClass(), e);
        }
    }

    private static void checkTarget(StructField field, ModelSpec spec) {
        DataType type = field.dataType();
        boolean ok = switch (spec.targetKind()) {
            case CLASS -> type instanceof StringType || type instanceof NumericType;
            case BINARY -> type instanceof BooleanType || type instanceof NumericType;
            case REAL -> spec.targetWidth() == 1 ? type instanceof NumericType
                    : type instanceof ArrayType a && a.elementType() instanceof NumericType;
        };
        if (!ok) {
            throw new UserError("error: the target column '" + field.name() + "' holds " + type.simpleString()
                    + ", which cannot be a " + spec.targetKind().name().toLowerCase(java.util.Locale.ROOT) + " target"
                    + (spec.targetWidth() > 1 ? " of " + spec.targetWidth() + " values (an array column)" : ""));
        }
    }

    /**
     * A partition's rows, numbered from 0 (see {@link RowsChunk#numbered}); at the first
     * value it cannot use, the rows before it and what is wrong with it.
     */
    RowsChunk convert(Iterator<Row> rows) {
        FloatList x = new FloatList();
        FloatList y = new FloatList();
        int count = 0;
        try {
            while (rows.hasNext()) {
                Row row = rows.next();
                if (array >= 0) {
                    List<Object> values = vector ? vectorValues(row.get(array)) : row.getList(array);
                    if (values == null || values.size() != inputWidth) {
                        throw new BadValue("column '" + names[array] + "' has "
                                + (values == null ? "no value" : values.size() + " values") + ", the model's input " + inputWidth);
                    }
                    for (Object v : values) x.add(number(v, names[array]));
                } else {
                    for (int c : features) x.add(number(row.get(c), names[c]));
                }
                addTarget(row.get(target), y);
                count++;
            }
        } catch (BadValue e) {
            return new RowsChunk(0, count, null, null, e.getMessage());
        }
        return new RowsChunk(0, count, x.toArray(), y.toArray(), null);
    }

    /** A value of a row that the model cannot use: what is wrong, the row's number added where it is known. */
    private static final class BadValue extends RuntimeException {
        BadValue(String problem) {
            super(problem, null, false, false);
        }
    }

    private static float number(Object value, String column) {
        if (!(value instanceof Number n)) throw new BadValue("column '" + column + "' has no value");
        float v = n.floatValue();
        if (!Float.isFinite(v)) throw new BadValue("column '" + column + "' is " + n + ", not a finite number");
        return v;
    }

    private void addTarget(Object value, FloatList y) {
        String column = names[target];
        switch (kind) {
            case REAL -> {
                if (targetWidth == 1) {
                    y.add(number(value, column));
                } else {
                    List<?> values = value instanceof List<?> l ? l : List.of();
                    if (values.size() != targetWidth) {
                        throw new BadValue("column '" + column + "' has " + values.size() + " values, the target " + targetWidth);
                    }
                    for (Object v : values) y.add(number(v, column));
                }
            }
            case BINARY -> {
                if (value instanceof Boolean b) {
                    y.add(b ? 1 : 0);
                } else {
                    float v = number(value, column);
                    if (v != 0 && v != 1) throw new BadValue("column '" + column + "' is " + value + ", not 0 or 1");
                    y.add(v);
                }
            }
            case CLASS -> y.add(classIndex(value, column));
        }
    }

    /** A class by name, or by its index, as a CSV file gives it. */
    private float classIndex(Object value, String column) {
        if (value instanceof String s) {
            int index = classes.indexOf(s.trim());
            if (index >= 0) return index;
        } else if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                && n.doubleValue() >= 0 && n.doubleValue() < classes.size()) {
            return (float) n.doubleValue();
        }
        throw new BadValue("column '" + column + "' is '" + value + "', not a class of the model: " + String.join(", ", classes));
    }

    /** A growing array of floats. */
    private static final class FloatList {
        private float[] values = new float[1024];
        private int size;

        void add(float v) {
            if (size == values.length) values = Arrays.copyOf(values, size * 2);
            values[size++] = v;
        }

        float[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
