package dev.nnc.runtime.vector;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The packed product against a double-precision reference, and a row's result alone and in any batch. */
class GemmTest {

    static float[] random(int size, Random random) {
        float[] a = new float[size];
        for (int i = 0; i < a.length; i++) a[i] = random.nextFloat() * 2 - 1;
        return a;
    }

    @Test
    void matchesTheReferenceForEveryShapeOfEdge() {
        Random random = new Random(1);
        for (int n : new int[]{1, 10, 16, 17, 64, 100, 128, 256}) {
            for (int k : new int[]{1, 3, 16, 784}) {
                for (int rows : new int[]{1, 2, 4, 5, 6, 9, 10, 13, 64}) {
                    float[] a = random(rows * k, random);
                    float[] w = random(n * k, random);
                    float[] c = new float[rows * n];
                    Gemm.multiply(a, Gemm.pack(w, n, k), c, rows, k, n);
                    for (int i = 0; i < rows; i++) {
                        for (int j = 0; j < n; j++) {
                            double expected = 0;
                            for (int kk = 0; kk < k; kk++) expected += (double) a[i * k + kk] * w[j * k + kk];
                            assertEquals(expected, c[i * n + j], 1e-5 * Math.max(1, Math.sqrt(k)), "n " + n + " k " + k + " rows " + rows);
                        }
                    }
                }
            }
        }
    }

    @Test
    void aRowGivesTheSameBitsAloneAsInABatch() {
        Random random = new Random(2);
        int k = 200;
        for (int n : new int[]{10, 64, 100}) {
            int rows = 17; // two tiles of six rows, one of four, the last row alone
            float[] a = random(rows * k, random);
            float[] packed = Gemm.pack(random(n * k, random), n, k);
            float[] batch = new float[rows * n];
            Gemm.multiply(a, packed, batch, rows, k, n);
            for (int i = 0; i < rows; i++) {
                float[] one = new float[n];
                Gemm.multiply(java.util.Arrays.copyOfRange(a, i * k, (i + 1) * k), packed, one, 1, k, n);
                assertArrayEquals(one, java.util.Arrays.copyOfRange(batch, i * n, (i + 1) * n), "row " + i);
            }
        }
    }

    @Test
    void rowsFromAFirstRowOnLeaveTheRowsBeforeIt() {
        // a model's tall tiles compute the rows before `from`; the runtime, the same bits for the rest
        Random random = new Random(4);
        int k = 50;
        for (int n : new int[]{10, 64, 100}) {
            int rows = 31;
            float[] a = random(rows * k, random);
            float[] packed = Gemm.pack(random(n * k, random), n, k);
            float[] all = new float[rows * n];
            Gemm.multiply(a, packed, all, rows, k, n);
            for (int from : new int[]{0, 1, 12, 24, 30, 31}) {
                float[] part = new float[rows * n];
                java.util.Arrays.fill(part, 0, from * n, 7f);
                Gemm.multiply(a, packed, part, from, rows, k, n);
                for (int i = 0; i < from * n; i++) assertEquals(7f, part[i], "from " + from + ": before it, untouched");
                assertArrayEquals(java.util.Arrays.copyOfRange(all, from * n, rows * n),
                        java.util.Arrays.copyOfRange(part, from * n, rows * n), "n " + n + " from " + from);
            }
        }
    }

    @Test
    void oneRowSplitOverTwoCoresGivesTheBitsOfABatch() {
        // one row of a product of SPLIT_MACS or more has its upper panels computed on the
        // Helper's thread (when the machine has two cores); in a batch, one thread computes it
        assumeTrue(Helper.ENABLED, "one core: nothing is split");
        Random random = new Random(3);
        int k = 784;
        for (int n : new int[]{128, 256, 330}) { // two panels, four, five and a narrow one
            assertTrue((long) k * n >= Helper.SPLIT_MACS);
            int rows = 7;
            float[] a = random(rows * k, random);
            float[] packed = Gemm.pack(random(n * k, random), n, k);
            float[] batch = new float[rows * n];
            Gemm.multiply(a, packed, batch, rows, k, n);
            for (int i = 0; i < rows; i++) {
                float[] row = java.util.Arrays.copyOfRange(a, i * k, (i + 1) * k);
                for (int repeat = 0; repeat < 20; repeat++) { // the helper's hand-offs, many times over
                    float[] one = new float[n];
                    Gemm.multiply(row, packed, one, 1, k, n);
                    assertArrayEquals(java.util.Arrays.copyOfRange(batch, i * n, (i + 1) * n), one, "n " + n + " row " + i);
                }
            }
        }
    }
}
