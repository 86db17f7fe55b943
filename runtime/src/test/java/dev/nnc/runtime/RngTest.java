package dev.nnc.runtime;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

class RngTest {
    @Test
    void aSeedFixesTheSequence() {
        Rng a = new Rng(5);
        Rng b = new Rng(5);
        for (int i = 0; i < 100; i++) assertEquals(a.nextLong(), b.nextLong());
    }

    @Test
    void atGivesTheValuesOfTheSequenceWithoutDrawingThem() {
        Rng rng = new Rng(42);
        for (int i = 0; i < 100; i++) assertEquals(rng.nextLong(), Rng.at(42, i), "value " + i);
    }

    @Test
    void shuffleIsAPermutation() {
        int[] a = new int[50];
        for (int i = 0; i < a.length; i++) a[i] = i;
        new Rng(1).shuffle(a);
        int[] sorted = a.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < a.length; i++) assertEquals(i, sorted[i]);
        assertFalse(Arrays.equals(a, sorted));
    }

    @Test
    void uniformsStayInRange() {
        Rng r = new Rng(9);
        double sum = 0;
        for (int i = 0; i < 10000; i++) {
            double u = r.nextDouble();
            assertTrue(u >= 0 && u < 1);
            sum += u;
            int k = r.nextInt(7);
            assertTrue(k >= 0 && k < 7);
        }
        assertEquals(0.5, sum / 10000, 0.02);
    }

    @Test
    void gaussiansHaveMeanZeroAndVarianceOne() {
        Rng r = new Rng(11);
        double sum = 0;
        double squares = 0;
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            double g = r.nextGaussian();
            sum += g;
            squares += g * g;
        }
        assertEquals(0, sum / n, 0.01);
        assertEquals(1, squares / n, 0.01);
    }
}
