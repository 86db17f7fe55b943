package dev.nnc.runtime.train;

import dev.nnc.runtime.Rng;
import dev.nnc.runtime.UserError;
import dev.nnc.runtime.spec.DataSpec;
import dev.nnc.runtime.spec.ModelSpec;
import dev.nnc.runtime.spec.TrainSpec;
import dev.nnc.runtime.spec.TrainSpec.AugmentSpec;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class AugmenterTest {
    private static ModelSpec image(int width) {
        return image(List.of(width));
    }

    private static ModelSpec image(List<Integer> shape) {
        return new ModelSpec("M", "x", shape, ModelSpec.Preprocessing.NONE, "y", ModelSpec.TargetKind.CLASS,
                List.of(1), List.of("a", "b"), 2, "cross_entropy", "sgd", 0.1, List.of(),
                new TrainSpec(1, 1, true, 0, null, TrainSpec.ScheduleSpec.CONSTANT, List.of(), null, 1, 1),
                new DataSpec(null, null), "hash", "training");
    }

    private static float[] ramp() {
        float[] x = new float[16];
        for (int i = 0; i < 16; i++) x[i] = i + 1;
        return x;
    }

    @Test
    void flipMirrorsRowsOfASquareImage() {
        AugmentSpec flip = new AugmentSpec("flip", 0, 0, List.of(0, 0));
        float[] x = ramp();
        // seed chosen freely; flipping twice is the identity, so check both outcomes
        new Augmenter(image(16), List.of(flip), new Rng(1)).apply(x, 1, 16);
        boolean flipped = x[0] == 4 && x[3] == 1 && x[4] == 8 && x[15] == 13;
        assertTrue(flipped || Arrays.equals(x, ramp()), Arrays.toString(x));
        assertEquals(136, sum(x), "a flip keeps every pixel");
    }

    @Test
    void shiftMovesPixelsAndFillsWithZeros() {
        AugmentSpec shift = new AugmentSpec("shift", 0, 1, List.of(0, 0));
        Rng rng = new Rng(5);
        boolean sawShift = false;
        for (int t = 0; t < 20; t++) {
            float[] x = ramp();
            new Augmenter(image(16), List.of(shift), rng).apply(x, 1, 16);
            assertTrue(sum(x) <= 136);
            if (!Arrays.equals(x, ramp())) sawShift = true;
            for (float v : x) assertTrue(v == 0 || (v >= 1 && v <= 16));
        }
        assertTrue(sawShift);
    }

    @Test
    void anImageOfRankThreeFlipsWholePixelsChannelsLast() {
        // [2, 3, 2]: two rows of three pixels of two channels each
        AugmentSpec flip = new AugmentSpec("flip", 0, 0, List.of(0, 0));
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        Rng rng = new Rng(1);
        boolean sawFlip = false;
        for (int t = 0; t < 10; t++) {
            float[] y = x.clone();
            new Augmenter(image(List.of(2, 3, 2)), List.of(flip), rng).apply(y, 1, 12);
            float[] flipped = {5, 6, 3, 4, 1, 2, 11, 12, 9, 10, 7, 8};
            assertTrue(Arrays.equals(y, x) || Arrays.equals(y, flipped), Arrays.toString(y));
            sawFlip |= Arrays.equals(y, flipped);
        }
        assertTrue(sawFlip);
    }

    @Test
    void anImageOfRankThreeShiftsWholePixels() {
        AugmentSpec shift = new AugmentSpec("shift", 0, 1, List.of(0, 0));
        Rng rng = new Rng(2);
        for (int t = 0; t < 20; t++) {
            float[] y = {1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 6, -6, 7, -7, 8, -8, 9, -9};
            new Augmenter(image(List.of(3, 3, 2)), List.of(shift), rng).apply(y, 1, 18);
            // a pixel's two channels move together: each pixel is (v, -v) or zeros
            for (int p = 0; p < 9; p++) assertEquals(0f, y[2 * p] + y[2 * p + 1], Arrays.toString(y));
        }
    }

    @Test
    void noiseIsSeeded() {
        AugmentSpec noise = new AugmentSpec("noise", 0.5, 0, List.of());
        float[] a = ramp();
        float[] b = ramp();
        new Augmenter(image(16), List.of(noise), new Rng(3)).apply(a, 1, 16);
        new Augmenter(image(16), List.of(noise), new Rng(3)).apply(b, 1, 16);
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, ramp()));
    }

    @Test
    void aNonSquareInputNeedsItsSize() {
        AugmentSpec flip = new AugmentSpec("flip", 0, 0, List.of(0, 0));
        UserError e = assertThrows(UserError.class, () -> new Augmenter(image(15), List.of(flip), new Rng(1)));
        assertTrue(e.getMessage().contains("flip(width = W, height = H)"), e.getMessage());
    }

    private static double sum(float[] x) {
        double s = 0;
        for (float v : x) s += v;
        return s;
    }
}
