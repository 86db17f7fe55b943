package dev.nnc.runtime.vector;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Which packed arrays are padded to humongous size: enough to matter, and not beyond the cap. */
class AlignedPanelsTest {
    static final long TWO_MB = 2L * 1024 * 1024;

    @Test
    void arraysFromMinBytesUpToHumongousArePaddedToIt() {
        int packed784x256 = Gemm.FIRST + 4 * 784 * Gemm.PANEL; // 803 KB
        assertEquals((int) (TWO_MB / 4), AlignedPanels.length(packed784x256, TWO_MB));
        assertEquals((int) (TWO_MB / 4), AlignedPanels.length(AlignedPanels.MIN_BYTES / 4, TWO_MB));
    }

    @Test
    void smallArraysAndArraysAlreadyHumongousKeepTheirLength() {
        assertEquals(1000, AlignedPanels.length(1000, TWO_MB));
        assertEquals(AlignedPanels.MIN_BYTES / 4 - 1, AlignedPanels.length(AlignedPanels.MIN_BYTES / 4 - 1, TWO_MB));
        assertEquals((int) (TWO_MB / 4), AlignedPanels.length((int) (TWO_MB / 4), TWO_MB));
        assertEquals(3_000_000, AlignedPanels.length(3_000_000, TWO_MB));
    }

    @Test
    void withoutAKnownAlignmentNothingIsPadded() {
        assertEquals(200_000, AlignedPanels.length(200_000, 0));
    }

    @Test
    void anAllocatedArrayHoldsWhatWasAskedForZeroed() {
        float[] packed = AlignedPanels.allocate(300_000);
        assertTrue(packed.length >= 300_000);
        for (float v : packed) assertEquals(0f, v);
    }
}
