package dev.nnc.runtime.predict;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** How a batch is cut into parts for the threads that predict it. */
class PartsTest {

    @Test
    void partsShareTheRowsEvenlyBetweenTheThreads() {
        // 1000 rows on two threads: ten parts of 100, five for each thread
        assertEquals(100, Predictor.balancedPartRows(1000, 120, 2));
        // 240 rows: one part of 120 each
        assertEquals(120, Predictor.balancedPartRows(240, 120, 2));
        // 250 rows: four parts of 64 (the last of 58), two for each thread
        assertEquals(64, Predictor.balancedPartRows(250, 120, 2));
        // an empty batch has no part
        assertEquals(0, (0 + Predictor.balancedPartRows(0, 120, 2) - 1) / Predictor.balancedPartRows(0, 120, 2));
    }

    @Test
    void aPartIsNeverLargerThanItsBuffersNorOdd() {
        for (int threads = 1; threads <= 8; threads++) {
            for (int partRows : new int[]{6, 12, 120}) {
                for (int rows = 1; rows <= 2000; rows++) {
                    int size = Predictor.balancedPartRows(rows, partRows, threads);
                    assertTrue(size >= 2 && size <= partRows, rows + " rows, " + partRows + " per part, " + threads + " threads: " + size);
                    assertEquals(0, size % 2, rows + " rows: " + size);
                    int parts = (rows + size - 1) / size;
                    // no more parts than the most rows per part would need, rounded up to the threads
                    int most = (rows + partRows - 1) / partRows;
                    assertTrue(parts <= (most + threads - 1) / threads * threads + 1, rows + " rows: " + parts + " parts");
                }
            }
        }
    }
}
