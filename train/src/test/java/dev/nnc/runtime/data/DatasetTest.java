package dev.nnc.runtime.data;

import dev.nnc.runtime.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The training rows left after a split, moved where they lie, are the rows a copy would hold, in its order. */
class DatasetTest {
    private static Dataset numbered(int rows) {
        float[] x = new float[rows * 3];
        float[] y = new float[rows];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < 3; j++) x[r * 3 + j] = r * 10 + j;
            y[r] = -r;
        }
        return new Dataset("numbered", x, y, rows, 3, 1);
    }

    /** The same rows: every value bit for bit (assertArrayEquals compares floats by their bits), and the same digest. */
    static void assertSameRows(Dataset expected, Dataset actual) {
        assertEquals(expected.rows(), actual.rows());
        assertEquals(expected.inputWidth(), actual.inputWidth());
        float[] ex = new float[expected.rows() * expected.inputWidth()];
        float[] ey = new float[expected.rows() * expected.targetWidth()];
        float[] ax = new float[actual.rows() * actual.inputWidth()];
        float[] ay = new float[actual.rows() * actual.targetWidth()];
        expected.copyRows(0, expected.rows(), ex, ey);
        actual.copyRows(0, actual.rows(), ax, ay);
        assertArrayEquals(ex, ax);
        assertArrayEquals(ey, ay);
        assertEquals(expected.digest(), actual.digest());
    }

    @Test
    void rowsSelectedInPlaceAreThoseOfACopyInTheSameOrder() {
        for (int rows : new int[]{1, 2, 7, 100, 1000}) {
            int[] order = new Rng(rows).permutation(rows);
            for (int from : new int[]{0, rows / 10, rows / 2, rows - 1}) {
                Dataset copy = numbered(rows).select(order, from, rows);
                Dataset moved = numbered(rows).selectInPlace(order, from, rows);
                assertSameRows(copy, moved);
            }
        }
    }

    @Test
    void aSplitOfASplitMovesOnlyTheRowsLeft() {
        Dataset all = numbered(500);
        int[] first = new Rng(1).permutation(500);
        Dataset test = all.select(first, 0, 100);
        Dataset rest = all.selectInPlace(first, 100, 500);
        int[] second = new Rng(2).permutation(400);
        Dataset validation = rest.select(second, 0, 40);
        Dataset train = rest.selectInPlace(second, 40, 400);

        Dataset expectedRest = numbered(500).select(first, 100, 500);
        assertSameRows(numbered(500).select(first, 0, 100), test);
        assertSameRows(expectedRest.select(second, 0, 40), validation);
        assertSameRows(expectedRest.select(second, 40, 400), train);
        assertSame(all.x(), train.x(), "no copy of the training rows");
    }
}
