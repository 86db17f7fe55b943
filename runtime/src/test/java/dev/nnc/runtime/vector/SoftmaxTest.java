package dev.nnc.runtime.vector;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The runtime's softmax: within a few ulp of softmax in double, the same bits for a row
 * wherever it falls in a batch (in a group of 16 or among the last rows), in place or
 * not, and in a JVM that only interprets.
 */
class SoftmaxTest {

    private static float[] logits(int rows, int width, long seed) {
        Random random = new Random(seed);
        float[] z = new float[rows * width];
        for (int i = 0; i < z.length; i++) z[i] = (float) (random.nextGaussian() * 8);
        return z;
    }

    private static float[] softmax(float[] z, int rows, int width) {
        float[] out = new float[z.length];
        Softmax.rows(z, out, new float[Softmax.WORK], rows, width);
        return out;
    }

    @Test
    void agreesWithSoftmaxInDouble() {
        for (int width = 1; width <= 16; width++) {
            for (int rows : new int[]{1, 5, 16, 37}) {
                float[] z = logits(rows, width, 31L * width + rows);
                float[] p = softmax(z, rows, width);
                for (int r = 0; r < rows; r++) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < width; j++) max = Math.max(max, z[r * width + j]);
                    double sum = 0;
                    for (int j = 0; j < width; j++) sum += Math.exp(z[r * width + j] - max);
                    for (int j = 0; j < width; j++) {
                        double x = z[r * width + j] - max;
                        double expected = Math.exp(x) / sum;
                        // a few float roundings: e^x within 2 ulp, the sum, the quotient; and the
                        // difference x, whose rounding error (up to |x| 2^-24) e^x makes relative
                        double tolerance = expected * (1e-6 + Math.abs(x) * 1.2e-7) + 1e-37;
                        assertEquals(expected, p[r * width + j], tolerance, "width " + width + ", row " + r + ", output " + j);
                    }
                }
            }
        }
    }

    @Test
    void givesARowTheSameBitsWhereverItFalls() {
        int width = 10;
        int rows = 37; // two groups of 16 and five rows past them
        float[] z = logits(rows, width, 5);
        float[] batch = softmax(z, rows, width);
        for (int r = 0; r < rows; r++) {
            float[] alone = softmax(Arrays.copyOfRange(z, r * width, (r + 1) * width), 1, width);
            assertArrayEquals(Arrays.copyOfRange(batch, r * width, (r + 1) * width), alone, "row " + r);
        }
        float[] inPlace = z.clone();
        Softmax.rows(inPlace, inPlace, new float[Softmax.WORK], rows, width);
        assertArrayEquals(batch, inPlace);
    }

    @Test
    void writesNothingPastItsRows() {
        float[] z = logits(20, 3, 8);
        float[] out = new float[z.length];
        Arrays.fill(out, -1f);
        Softmax.rows(z, out, new float[Softmax.WORK], 19, 3);
        for (int j = 19 * 3; j < out.length; j++) assertEquals(-1f, out[j]);
    }

    @Test
    void handlesLogitsFarApart() {
        float[] z = {1000f, -1000f, 0f, -Float.MAX_VALUE, 88f, 88f, 88f, 88f, -200f, -200f, -200f, -200f};
        float[] p = softmax(z, 3, 4);
        assertArrayEquals(new float[]{1f, 0f, 0f, 0f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f}, p);
    }

    /** Only operations that Java defines to the bit: a JVM that only interprets gives the same bits. */
    @Test
    void givesTheSameBitsInTheInterpreterAndCompiled() throws Exception {
        for (int round = 0; round < 3000; round++) fingerprint();
        assertEquals(fingerprint(), Interpreted.output(SoftmaxTest.class));
    }

    private static String fingerprint() {
        return Integer.toString(Arrays.hashCode(softmax(logits(100, 10, 3), 100, 10)));
    }

    public static void main(String[] args) {
        System.out.println(fingerprint());
    }
}
