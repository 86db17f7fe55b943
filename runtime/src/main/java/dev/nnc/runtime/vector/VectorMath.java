package dev.nnc.runtime.vector;

import jdk.incubator.vector.FloatVector;

/**
 * The sum of a vector's lanes, the same bits whether the JIT has compiled the code or
 * not. The order of {@code reduceLanes(ADD)} is left to the JVM: JDK 17's C2 adds the
 * lanes in order as its interpreter does, JDK 25's does not (177 of 4,096 sums
 * differed), and a training run's weights would then depend on when its kernels were
 * compiled.
 */
public final class VectorMath {
    private static final int L = FloatVector.SPECIES_PREFERRED.length();
    /**
     * Whether this JDK's {@code reduceLanes(ADD)} adds the lanes in order from 0, compiled
     * as interpreted (JDK 17 does). Generated kernels sum a vector's lanes with it where it
     * does, and with {@link #sumLaneByLane} elsewhere; they test the flag themselves, a
     * constant to the JIT, rather than call a method that does: a call that C2 leaves out
     * of line boxes its vector argument.
     */
    public static final boolean IN_ORDER_REDUCTION = Runtime.version().feature() == 17;

    private VectorMath() {}

    /** The lanes of a vector of the preferred species read and added one by one, in order from 0. */
    public static float sumLaneByLane(FloatVector v) {
        if (L == 16) {
            return 0f + v.lane(0) + v.lane(1) + v.lane(2) + v.lane(3) + v.lane(4) + v.lane(5) + v.lane(6) + v.lane(7)
                    + v.lane(8) + v.lane(9) + v.lane(10) + v.lane(11) + v.lane(12) + v.lane(13) + v.lane(14) + v.lane(15);
        }
        float sum = 0f;
        for (int i = 0; i < L; i++) sum += v.lane(i);
        return sum;
    }
}
