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
        new Augmenter(image(16), List.of(flip)).apply(new Rng(1), x, 1, 16);
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
            new Augmenter(image(16), List.of(shift)).apply(rng, x, 1, 16);
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
            new Augmenter(image(List.of(2, 3, 2)), List.of(flip)).apply(rng, y, 1, 12);
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
            new Augmenter(image(List.of(3, 3, 2)), List.of(shift)).apply(rng, y, 1, 18);
            // a pixel's two channels move together: each pixel is (v, -v) or zeros
            for (int p = 0; p < 9; p++) assertEquals(0f, y[2 * p] + y[2 * p + 1], Arrays.toString(y));
        }
    }

    @Test
    void noiseIsSeeded() {
        AugmentSpec noise = new AugmentSpec("noise", 0.5, 0, List.of());
        float[] a = ramp();
        float[] b = ramp();
        new Augmenter(image(16), List.of(noise)).apply(new Rng(3), a, 1, 16);
        new Augmenter(image(16), List.of(noise)).apply(new Rng(3), b, 1, 16);
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, ramp()));
    }

    @Test
    void aBatchAugmentedInPartsGetsTheValuesOfTheWhole() {
        List<AugmentSpec> augments = List.of(new AugmentSpec("noise", 0.5, 0, List.of()),
                new AugmentSpec("shift", 0, 1, List.of(0, 0)), new AugmentSpec("flip", 0, 0, List.of(0, 0)));
        long[] seeds = {11, 22, 33};
        float[] whole = new float[5 * 16];
        for (int i = 0; i < whole.length; i++) whole[i] = i % 17;
        float[] parts = whole.clone();
        new Augmenter(image(16), augments).apply(seeds, whole, 0, 5, 16);
        // parts of two rows, the last first, each on an augmenter of its own
        for (int first : new int[]{4, 2, 0}) {
            int n = Math.min(2, 5 - first);
            float[] part = Arrays.copyOfRange(parts, first * 16, (first + n) * 16);
            new Augmenter(image(16), augments).apply(seeds, part, first, n, 16);
            System.arraycopy(part, 0, parts, first * 16, n * 16);
        }
        assertArrayEquals(whole, parts);
        float[] other = new float[whole.length];
        for (int i = 0; i < other.length; i++) other[i] = i % 17;
        new Augmenter(image(16), augments).apply(new long[]{12, 22, 33}, other, 0, 5, 16);
        assertFalse(Arrays.equals(whole, other), "another seed, other noise");
    }

    @Test
    void aNonSquareInputNeedsItsSize() {
        AugmentSpec flip = new AugmentSpec("flip", 0, 0, List.of(0, 0));
        UserError e = assertThrows(UserError.class, () -> new Augmenter(image(15), List.of(flip)));
        assertTrue(e.getMessage().contains("flip(width = W, height = H)"), e.getMessage());
    }

    private static double sum(float[] x) {
        double s = 0;
        for (float v : x) s += v;
        return s;
    }
}
