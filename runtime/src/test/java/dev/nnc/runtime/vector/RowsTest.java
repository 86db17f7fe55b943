package dev.nnc.runtime.vector;

import dev.nnc.runtime.weights.Preprocessor;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The vector pass over a raw row: the scalar preprocessing's bits, and every NaN or
 * infinity found; rows of unsigned bytes widened to their values, and scaled to the bits
 * of those values scaled.
 */
class RowsTest {

    @Test
    void scalesAsThePreprocessorDoes() {
        Random random = new Random(4);
        for (int width : new int[]{1, 4, 15, 16, 17, 784}) {
            float[] row = new float[width];
            float[] shift = new float[width];
            float[] scale = new float[width];
            for (int j = 0; j < width; j++) {
                row[j] = random.nextFloat() * 300 - 20;
                shift[j] = random.nextFloat();
                scale[j] = random.nextFloat() * 3;
            }
            float[] expected = new float[width + 3];
            new Preprocessor("standard", shift, scale).apply(row, expected, 3);
            float[] got = new float[width + 3];
            assertTrue(Rows.scale(row, shift, scale, got, 3));
            assertArrayEquals(expected, got, "width " + width);
        }
    }

    @Test
    void findsEveryNonFiniteValue() {
        for (int width : new int[]{1, 16, 17, 784}) {
            for (float bad : new float[]{Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
                for (int at : new int[]{0, width / 2, width - 1}) {
                    float[] row = new float[width];
                    row[at] = bad;
                    float[] ones = new float[width];
                    java.util.Arrays.fill(ones, 1);
                    assertFalse(Rows.scale(row, new float[width], ones, new float[width], 0), bad + " at " + at + " of " + width);
                }
            }
        }
    }

    @Test
    void widensUnsignedBytesToTheirValuesAndScalesThemAsFloats() {
        Random random = new Random(5);
        for (int width : new int[]{1, 15, 16, 17, 31, 784}) {
            byte[] bytes = new byte[width + 5];
            random.nextBytes(bytes); // every byte value, 128-255 as negative bytes among them
            float[] values = new float[width];
            for (int j = 0; j < width; j++) values[j] = bytes[5 + j] & 0xFF;
            float[] widened = new float[width + 3];
            Rows.widen(bytes, 5, widened, 3, width);
            assertArrayEquals(values, java.util.Arrays.copyOfRange(widened, 3, width + 3), "width " + width);

            float[] shift = new float[width];
            float[] scale = new float[width];
            for (int j = 0; j < width; j++) {
                shift[j] = random.nextFloat() * 100;
                scale[j] = random.nextFloat() / 37;
            }
            float[] expected = new float[width + 3];
            new Preprocessor("standard", shift, scale).apply(values, expected, 3);
            float[] got = new float[width + 3];
            Rows.widenAndScale(bytes, 5, shift, scale, got, 3);
            for (int j = 0; j < width + 3; j++) {
                assertEquals(Float.floatToRawIntBits(expected[j]), Float.floatToRawIntBits(got[j]), "value " + j + " of width " + width);
            }
        }
    }
}
