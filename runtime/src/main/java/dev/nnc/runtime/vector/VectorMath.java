package dev.nnc.runtime.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The sum of a vector's lanes, the same bits whether the JIT has compiled the code or
 * not. The order of {@code reduceLanes(ADD)} is left to the JVM: JDK 17's C2 adds the
 * lanes in order as its interpreter does, JDK 25's does not (177 of 4,096 sums
 * differed), and a training run's weights would then depend on when its kernels were
 * compiled.
 */
public final class VectorMath {
    private static final int L = FloatVector.SPECIES_PREFERRED.length();
    /** Whether this JDK's reduceLanes(ADD) adds in lane order, compiled as interpreted (JDK 17 does). */
    public static final boolean IN_ORDER_REDUCTION = Runtime.version().feature() == 17;

    private VectorMath() {}

    /**
     * The sum of the lanes of a vector of the preferred species, added in lane order
     * from 0. On JDK 17 that is what {@code reduceLanes(ADD)} computes, interpreted or
     * compiled, and it stays in use there, so that JDK 17's kernels are those they were;
     * elsewhere the lanes are read and added one by one. (Generated kernels test the flag
     * themselves, so that on JDK 17 they hold the reduction and no call: a call that C2
     * leaves out of line boxes its vector argument.)
     */
    public static float sum(FloatVector v) {
        return IN_ORDER_REDUCTION ? v.reduceLanes(VectorOperators.ADD) : sumLaneByLane(v);
    }

    /** The lanes read and added one by one, in order from 0. */
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
