package dev.nnc.runtime.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.*;

/** The vector exp, log and log1p: within 2 ulp of Math's, right at the edges, and the same bits cold and compiled. */
class VectorMathTest {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private static float[] apply(UnaryOperator<FloatVector> f, float[] x) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i += S.length()) f.apply(FloatVector.fromArray(S, x, i)).intoArray(out, i);
        return out;
    }

    /** n values (a multiple of the lane count) uniform in [low, high), then the edges given. */
    private static float[] values(long seed, int n, float low, float high, float... edges) {
        int length = (n + edges.length + S.length() - 1) / S.length() * S.length();
        float[] x = new float[length];
        Random random = new Random(seed);
        for (int i = 0; i < length; i++) x[i] = low + random.nextFloat() * (high - low);
        System.arraycopy(edges, 0, x, length - edges.length, edges.length);
        return x;
    }

    private static void assertWithin2Ulp(DoubleUnaryOperator exact, float[] x, float[] got) {
        for (int i = 0; i < x.length; i++) {
            float expected = (float) exact.applyAsDouble(x[i]);
            if (Float.isNaN(expected) || Float.isInfinite(expected) || expected == 0) {
                assertEquals(expected, got[i], "at " + x[i]);
            } else {
                // below the normal range an ulp is the subnormals' step
                float ulp = Math.max(Math.ulp(expected), Float.MIN_VALUE);
                assertEquals(expected, got[i], 2 * ulp, "at " + x[i]);
            }
        }
    }

    @Test
    void expIsWithinTwoUlpFromUnderflowToOverflow() {
        float[] x = values(1, 20_000, -110, 95, 0f, -0f, 88.72f, 88.73f, -87.3f, -103.9f, -104.5f,
                Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e-30f, -1e-30f);
        assertWithin2Ulp(Math::exp, x, apply(VectorMath::exp, x));
        float[] small = values(2, 20_000, -2, 2);
        assertWithin2Ulp(Math::exp, small, apply(VectorMath::exp, small));
    }

    @Test
    void logIsWithinTwoUlpOverNormalsAndSubnormals() {
        float[] x = values(3, 20_000, 0, 4, 1f, 0f, -0f, -1f, Float.MIN_VALUE, Float.MIN_NORMAL, 1e-40f,
                Float.MAX_VALUE, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0.70710677f, 0.7071068f);
        assertWithin2Ulp(Math::log, x, apply(VectorMath::log, x));
        float[] wide = values(4, 20_000, 0, 1);
        for (int i = 0; i < wide.length; i++) wide[i] = (float) Math.pow(10, 76 * wide[i] - 38);
        assertWithin2Ulp(Math::log, wide, apply(VectorMath::log, wide));
    }

    @Test
    void log1pIsWithinTwoUlpNearZeroAndFarFromIt() {
        float[] x = values(5, 20_000, -1, 3, 0f, -0f, -1f, -2f, 1e-10f, -1e-10f, 1e-7f, 1e30f,
                Float.NaN, Float.POSITIVE_INFINITY);
        assertWithin2Ulp(Math::log1p, x, apply(VectorMath::log1p, x));
        float[] tiny = values(6, 20_000, -1e-3f, 1e-3f);
        assertWithin2Ulp(Math::log1p, tiny, apply(VectorMath::log1p, tiny));
    }

    /**
     * What a training run's reproducibility rests on: the same bits whether the JIT has
     * compiled the code or not. A JVM that only interprets computes them, this one
     * after warming up (the Vector API's lanewise(EXP) and lanewise(LOG) fail this).
     */
    @Test
    void givesTheSameBitsInTheInterpreterAndCompiled() throws Exception {
        for (int round = 0; round < 300; round++) fingerprint();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xint", "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), VectorMathTest.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String interpreted = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, child.waitFor());
        assertEquals(fingerprint(), interpreted);
    }

    /** Hashes of exp, log and log1p over fixed inputs. */
    private static String fingerprint() {
        float[] x = values(7, 4096, -20, 20);
        float[] positive = values(8, 4096, 0, 50);
        return Arrays.hashCode(apply(VectorMath::exp, x)) + " " + Arrays.hashCode(apply(VectorMath::log, positive))
                + " " + Arrays.hashCode(apply(VectorMath::log1p, positive));
    }

    public static void main(String[] args) {
        System.out.println(fingerprint());
    }
}
