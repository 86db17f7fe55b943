package dev.nnc.runtime.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The lane sum of generated kernels: the lanes added in order, by reduceLanes where the
 * flag says the JDK does so, and the same bits interpreted and compiled.
 */
class VectorMathTest {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private static float[] values(long seed) {
        float[] x = new float[4096];
        Random random = new Random(seed);
        for (int i = 0; i < x.length; i++) x[i] = (random.nextFloat() - 0.5f) * 2000;
        return x;
    }

    /** As generated kernels sum a vector's lanes (VectorKernelEmitter.sumLanes). */
    private static float sum(FloatVector v) {
        return VectorMath.IN_ORDER_REDUCTION ? v.reduceLanes(VectorOperators.ADD) : VectorMath.sumLaneByLane(v);
    }

    private static float[] sums(float[] x) {
        float[] sums = new float[x.length / S.length()];
        for (int i = 0; i < sums.length; i++) sums[i] = sum(FloatVector.fromArray(S, x, i * S.length()));
        return sums;
    }

    @Test
    void addsTheLanesInOrder() {
        float[] x = values(9);
        float[] sums = sums(x);
        for (int v = 0; v < sums.length; v++) {
            float inOrder = 0f;
            for (int i = v * S.length(); i < (v + 1) * S.length(); i++) inOrder += x[i];
            assertEquals(Float.floatToIntBits(inOrder), Float.floatToIntBits(sums[v]), "vector " + v);
        }
    }

    /**
     * What a training run's reproducibility rests on: the same bits whether the JIT has
     * compiled the code or not. A JVM that only interprets computes them, this one after
     * warming up (on JDK 25, reduceLanes(ADD) fails this).
     */
    @Test
    void givesTheSameBitsInTheInterpreterAndCompiled() throws Exception {
        for (int round = 0; round < 2000; round++) fingerprint();
        assertEquals(fingerprint(), Interpreted.output(VectorMathTest.class));
    }

    private static String fingerprint() {
        return Integer.toString(Arrays.hashCode(sums(values(7))));
    }

    public static void main(String[] args) {
        System.out.println(fingerprint());
    }
}
