package dev.nnc.runtime.data;

import dev.nnc.runtime.Rng;
import dev.nnc.runtime.weights.Preprocessor;
import org.junit.jupiter.api.Test;

import static dev.nnc.runtime.data.DatasetTest.assertSameRows;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Rows kept as unsigned bytes read as the same rows kept as floats: the same values, the
 * same digest, the same bits once scaled, through selections and splits.
 */
class ByteRowsTest {
    /** Widths around the vectors' 16 floats, so that rows end in a scalar tail and start unaligned. */
    private static final int[] WIDTHS = {1, 15, 16, 17, 784};
    private static final int ROWS = 50;

    /** The same rows twice: as bytes, and as floats on the heap. */
    private record Twins(Dataset bytes, Dataset floats) {}

    private static Twins twins(int width) {
        Rng rng = new Rng(width);
        byte[] b = new byte[ROWS * width];
        float[] f = new float[ROWS * width];
        float[] y = new float[ROWS];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (rng.nextDouble() * 256); // the whole unsigned range: 128-255 are negative bytes
            f[i] = b[i] & 0xFF;
        }
        for (int r = 0; r < ROWS; r++) y[r] = r % 10;
        return new Twins(Dataset.stored("bytes", new ByteRows(b, y.clone(), ROWS, width, 1)),
                new Dataset("floats", f, y, ROWS, width, 1));
    }

    @Test
    void bytesReadAsTheirFloats() {
        for (int width : WIDTHS) {
            Twins t = twins(width);
            assertFalse(t.bytes().inHeap(), "read through copies");
            assertThrows(IllegalStateException.class, t.bytes()::x);
            assertSameRows(t.floats(), t.bytes());
            // the sum a caller touches rows with, before it copies them, reads the same values
            for (int r = 0; r < ROWS; r++) assertEquals(t.floats().touch(r), t.bytes().touch(r), "row " + r);
        }
    }

    @Test
    void scaledBytesHaveTheBitsOfFloatsScaledWhereTheyLie() {
        for (int width : WIDTHS) {
            Rng rng = new Rng(7 + width);
            float[] shift = new float[width];
            float[] scale = new float[width];
            for (int j = 0; j < width; j++) {
                shift[j] = (float) (rng.nextDouble() * 100);
                scale[j] = (float) (1 / (1 + rng.nextDouble() * 80));
            }
            for (Preprocessor p : new Preprocessor[]{new Preprocessor("standard", shift, scale), Preprocessor.none(width)}) {
                Twins t = twins(width);
                assertSameRows(t.floats().scaledInPlace(p), t.bytes().scaledInPlace(p));
            }
        }
    }

    @Test
    void splitsOfBytesAreViewsWithTheRowsOfSplitsOfFloats() {
        int[] order = new Rng(3).permutation(ROWS);
        for (int width : WIDTHS) {
            Twins t = twins(width);
            assertSameRows(t.floats().select(order, 5, 40), t.bytes().selectInPlace(order, 5, 40));
            assertSameRows(t.floats().select(new int[]{9, 0, 9, 49}), t.bytes().select(new int[]{9, 0, 9, 49}));
        }
    }
}
