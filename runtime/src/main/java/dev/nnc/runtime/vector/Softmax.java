package dev.nnc.runtime.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Softmax over each row of a batch of rows of at most 16 outputs (a classifier's
 * classes), 16 rows at a time, a row per lane: output j of 16 rows is one gather, so the
 * maximum, e^(z - max), the sum over j in order and the quotients are all lane-wise, in
 * float. The scalar loops it replaces spent most of their time in {@code Math.exp} on
 * doubles: 22 us for 100 rows of the Fashion-MNIST classifier's 10 classes, 8% of its batch
 * prediction; a row per vector, with two reductions across lanes in each, took 6.3 us.
 *
 * <p>No vector is carried from one output to the next (the running maximum and sum live in
 * {@code work}): with C2 in JDK 17 a vector carried through a loop inside another loop
 * may be boxed (see {@link Pool}). e^x is {@link ExpPolynomial}'s, written out here: the
 * Vector API's {@code lanewise(EXP)} gives other bits compiled than interpreted. A row's
 * outputs are the same bits wherever it falls in a batch, and whether the JIT has compiled
 * this or not.
 */
public final class Softmax {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    private static final int L = 16;
    /** Floats of {@link #rows}'s work array: 16 maxima and 16 sums. */
    public static final int WORK = 2 * L;
    private static final int MAX = 0;
    private static final int SUM = L;
    /** Whether 512-bit vectors are this machine's own: where they are not, every row goes alone (the same bits, slower). */
    private static final boolean SIXTEEN_LANES = FloatVector.SPECIES_PREFERRED.length() == L;
    /** ROWS[w] = {0, w, 2w, ...}: the offsets of 16 rows of width w, for the gathers. */
    private static final int[][] ROWS = new int[L + 1][L];

    static {
        for (int w = 0; w <= L; w++) {
            for (int i = 0; i < L; i++) ROWS[w][i] = i * w;
        }
    }

    private Softmax() {}

    /**
     * out[r][j] = e^(z[r][j] - max_j z[r][j]) / sum_j e^(z[r][j] - max), rows [0, rows) of
     * {@code width} outputs, at most 16: whole groups of 16 rows as vectors, the rows after
     * the last group one float at a time, with the same operations and so the same bits.
     */
    public static void rows(float[] z, float[] out, float[] work, int rows, int width) {
        int whole = SIXTEEN_LANES ? rows - rows % L : 0;
        for (int first = 0; first < whole; first += L) sixteen(z, out, first * width, work, width);
        for (int r = whole; r < rows; r++) row(z, out, r * width, width);
    }

    /**
     * One row from {@code at}, lane by lane as {@link #sixteen} computes each of its 16:
     * Java's float operations, Math.fma included, are defined to the bit, as the vector
     * lanes' are.
     */
    private static void row(float[] z, float[] out, int at, int width) {
        float max = z[at];
        for (int j = 1; j < width; j++) max = Math.max(max, z[at + j]);
        float sum = 0f;
        for (int j = 0; j < width; j++) {
            float x = Math.min(Math.max(z[at + j] - max, ExpPolynomial.LOWEST), ExpPolynomial.HIGHEST);
            float t = Math.fma(x, ExpPolynomial.LOG2E, ExpPolynomial.ROUNDER);
            int n2 = Float.floatToRawIntBits(t) - Float.floatToRawIntBits(ExpPolynomial.ROUNDER);
            float n = t - ExpPolynomial.ROUNDER;
            float r = Math.fma(n, -ExpPolynomial.LN2_LO, Math.fma(n, -ExpPolynomial.LN2_HI, x));
            float p = Math.fma(ExpPolynomial.P0, r, ExpPolynomial.P1);
            p = Math.fma(p, r, ExpPolynomial.P2);
            p = Math.fma(p, r, ExpPolynomial.P3);
            p = Math.fma(p, r, ExpPolynomial.P4);
            p = Math.fma(p, r, ExpPolynomial.P5);
            int half = n2 >> 1;
            float e = (p * (r * r) + r + 1f) * Float.intBitsToFloat((half + 127) << 23) * Float.intBitsToFloat((n2 - half + 127) << 23);
            out[at + j] = e;
            sum += e;
        }
        for (int j = 0; j < width; j++) out[at + j] /= sum;
    }

    /** Rows of z and out from {@code at}: 16 of {@code width} outputs each. z and out may be the same array. */
    private static void sixteen(float[] z, float[] out, int at, float[] work, int width) {
        int[] rows = ROWS[width];
        FloatVector.fromArray(S, z, at, rows, 0).intoArray(work, MAX);
        for (int j = 1; j < width; j++) {
            FloatVector.fromArray(S, work, MAX).max(FloatVector.fromArray(S, z, at + j, rows, 0)).intoArray(work, MAX);
        }
        FloatVector.zero(S).intoArray(work, SUM);
        for (int j = 0; j < width; j++) {
            FloatVector x = FloatVector.fromArray(S, z, at + j, rows, 0).sub(FloatVector.fromArray(S, work, MAX));
            // e = e^x, written out (as a method, C2 at times left it out of line and boxed the vectors)
            x = x.max(ExpPolynomial.LOWEST).min(ExpPolynomial.HIGHEST);
            FloatVector t = x.fma(ExpPolynomial.LOG2E, ExpPolynomial.ROUNDER);
            IntVector n2 = ((IntVector) t.reinterpretShape(IntVector.SPECIES_PREFERRED, 0)).sub(Float.floatToIntBits(ExpPolynomial.ROUNDER));
            FloatVector n = t.sub(ExpPolynomial.ROUNDER);
            FloatVector r = n.fma(FloatVector.broadcast(S, -ExpPolynomial.LN2_LO), n.fma(FloatVector.broadcast(S, -ExpPolynomial.LN2_HI), x));
            FloatVector p = FloatVector.broadcast(S, ExpPolynomial.P0).fma(r, FloatVector.broadcast(S, ExpPolynomial.P1))
                    .fma(r, FloatVector.broadcast(S, ExpPolynomial.P2)).fma(r, FloatVector.broadcast(S, ExpPolynomial.P3))
                    .fma(r, FloatVector.broadcast(S, ExpPolynomial.P4)).fma(r, FloatVector.broadcast(S, ExpPolynomial.P5));
            IntVector half = n2.lanewise(VectorOperators.ASHR, 1);
            FloatVector e = p.mul(r.mul(r)).add(r).add(1f)
                    .mul((FloatVector) half.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretShape(FloatVector.SPECIES_PREFERRED, 0))
                    .mul((FloatVector) n2.sub(half).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretShape(FloatVector.SPECIES_PREFERRED, 0));
            e.intoArray(out, at + j, rows, 0);
            FloatVector.fromArray(S, work, SUM).add(e).intoArray(work, SUM);
        }
        for (int j = 0; j < width; j++) {
            FloatVector.fromArray(S, out, at + j, rows, 0).div(FloatVector.fromArray(S, work, SUM)).intoArray(out, at + j, rows, 0);
        }
    }
}
