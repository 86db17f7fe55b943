package dev.nnc.runtime.weights;

/**
 * Feature scaling, x' = (x - shift) * scale per feature. The statistics are fitted on
 * the training part only and travel with the weights, so prediction scales the same way.
 *
 * @param kind none, scale, standard or minmax: as the model's input declares
 */
public record Preprocessor(String kind, float[] shift, float[] scale) implements java.io.Serializable {

    /** No scaling, for inputs of the given width. */
    public static Preprocessor none(int width) {
        float[] ones = new float[width];
        java.util.Arrays.fill(ones, 1);
        return new Preprocessor("none", new float[width], ones);
    }

    public boolean identity() {
        return kind.equals("none");
    }

    /** Scales the first {@code rows} rows of x in place. */
    public void apply(float[] x, int rows) {
        if (identity()) return;
        int w = shift.length;
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < w; j++) x[r * w + j] = (x[r * w + j] - shift[j]) * scale[j];
        }
    }

    /** Scales the row of x that starts at {@code at}, in place (as {@link #apply(float[], int)} scales each). */
    public void applyRow(float[] x, int at) {
        if (identity()) return;
        for (int j = 0; j < shift.length; j++) x[at + j] = (x[at + j] - shift[j]) * scale[j];
    }

    /** Scales one row of raw values into {@code into} at {@code offset}, leaving the raw row as it was. */
    public void apply(float[] row, float[] into, int offset) {
        if (identity()) {
            System.arraycopy(row, 0, into, offset, row.length);
            return;
        }
        for (int j = 0; j < row.length; j++) into[offset + j] = (row[j] - shift[j]) * scale[j];
    }
}
