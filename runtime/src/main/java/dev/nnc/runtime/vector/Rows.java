package dev.nnc.runtime.vector;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * A raw input row made ready for the network in one pass with the Vector API: scaled
 * as the weights were trained, {@code (x - shift) * scale}, and checked for NaN and
 * infinities on the way; or a row of unsigned bytes widened to floats and scaled. The same
 * float operations as the scalar loops, so the same bits.
 */
public final class Rows {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** The ints and the bytes that widen to one vector of floats (none under 256-bit vectors: no vector of bytes is that short). */
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, S.vectorShape());
    private static final VectorSpecies<Byte> B = S.vectorBitSize() < 256 ? null
            : VectorSpecies.of(byte.class, jdk.incubator.vector.VectorShape.forBitSize(S.vectorBitSize() / 4));

    static {
        // a data set's rows may be widened before any kernel has run (its digest, its statistics)
        OperatorCaches.fill();
    }

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

    /** n unsigned bytes of {@code bytes} from {@code from}, as floats, into {@code into} at {@code offset}. */
    public static void widen(byte[] bytes, int from, float[] into, int offset, int n) {
        int j = 0;
        for (int end = B == null ? 0 : S.loopBound(n); j < end; j += S.length()) floats(bytes, from + j).intoArray(into, offset + j);
        for (; j < n; j++) into[offset + j] = bytes[from + j] & 0xFF;
    }

    /**
     * A row of unsigned bytes from {@code from}, as many as {@code shift} has values, as
     * floats scaled as {@link #scale} scales them, {@code (x - shift) * scale}, into
     * {@code into} at {@code offset}.
     */
    public static void widenAndScale(byte[] bytes, int from, float[] shift, float[] scale, float[] into, int offset) {
        int n = shift.length;
        int j = 0;
        for (int end = B == null ? 0 : S.loopBound(n); j < end; j += S.length()) {
            floats(bytes, from + j).sub(FloatVector.fromArray(S, shift, j)).mul(FloatVector.fromArray(S, scale, j))
                    .intoArray(into, offset + j);
        }
        for (; j < n; j++) into[offset + j] = ((bytes[from + j] & 0xFF) - shift[j]) * scale[j];
    }

    /** One vector of floats from the unsigned bytes at {@code at}: exact, as every value is below 2^24. */
    private static FloatVector floats(byte[] bytes, int at) {
        IntVector ints = (IntVector) ByteVector.fromArray(B, bytes, at).convertShape(VectorOperators.B2I, I, 0);
        return (FloatVector) ints.and(0xFF).convertShape(VectorOperators.I2F, S, 0);
    }
}
