package dev.nnc.runtime.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * A raw input row made ready for the network in one pass with the Vector API: scaled
 * as the weights were trained, {@code (x - shift) * scale}, and checked for NaN and
 * infinities on the way. The same float operations as the scalar loop, so the same bits.
 */
public final class Rows {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private Rows() {}

    /** Writes the scaled row into {@code into} at {@code offset}; false when the row holds a NaN or an infinity. */
    public static boolean scale(float[] row, float[] shift, float[] scale, float[] into, int offset) {
        // x - x is 0 for a finite x and NaN otherwise; a sum of them is 0 or NaN whatever the order
        FloatVector finite = FloatVector.zero(S);
        int j = 0;
        for (int end = S.loopBound(row.length); j < end; j += S.length()) {
            FloatVector x = FloatVector.fromArray(S, row, j);
            finite = finite.add(x.sub(x));
            x.sub(FloatVector.fromArray(S, shift, j)).mul(FloatVector.fromArray(S, scale, j)).intoArray(into, offset + j);
        }
        float tail = 0;
        for (; j < row.length; j++) {
            tail += row[j] - row[j];
            into[offset + j] = (row[j] - shift[j]) * scale[j];
        }
        return finite.reduceLanes(VectorOperators.ADD) + tail == 0;
    }
}
