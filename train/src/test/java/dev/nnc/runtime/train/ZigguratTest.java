package dev.nnc.runtime.train;

import dev.nnc.runtime.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The ziggurat's values follow the standard normal: its moments and the mass of its tails, over a million draws. */
class ZigguratTest {
    private static final int N = 1_000_000;

    @Test
    void momentsAreThoseOfTheStandardNormal() {
        Rng rng = new Rng(5);
        double sum = 0, squares = 0, cubes = 0, fourths = 0;
        for (int i = 0; i < N; i++) {
            double x = Ziggurat.normal(rng);
            sum += x;
            squares += x * x;
            cubes += x * x * x;
            fourths += x * x * x * x;
        }
        assertEquals(0, sum / N, 0.005, "mean");
        assertEquals(1, squares / N, 0.005, "variance");
        assertEquals(0, cubes / N, 0.02, "skewness");
        assertEquals(3, fourths / N, 0.05, "kurtosis");
    }

    @Test
    void tailsCarryTheNormalsMass() {
        // P(|x| > t) for t = 1, 2, 3 and 3.5 (past the base layer's edge, 3.44: the tail's own method)
        double[] limits = {1, 2, 3, 3.5};
        double[] expected = {0.3173105, 0.0455003, 0.0026998, 0.0004653};
        int[] beyond = new int[limits.length];
        int negative = 0;
        Rng rng = new Rng(6);
        for (int i = 0; i < N; i++) {
            double x = Ziggurat.normal(rng);
            if (x < 0) negative++;
            for (int t = 0; t < limits.length; t++) if (Math.abs(x) > limits[t]) beyond[t]++;
        }
        for (int t = 0; t < limits.length; t++) {
            double p = expected[t];
            double sd = Math.sqrt(p * (1 - p) / N);
            assertEquals(p, (double) beyond[t] / N, 5 * sd, "P(|x| > " + limits[t] + ")");
        }
        assertEquals(0.5, (double) negative / N, 0.0025, "symmetric");
    }
}
