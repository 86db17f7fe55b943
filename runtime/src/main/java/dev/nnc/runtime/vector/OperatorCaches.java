package dev.nnc.runtime.vector;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.List;
import java.util.stream.Stream;

/**
 * Every Vector API operator that nnc's kernels use, applied once before the first kernel
 * runs, so that no compiled kernel ever meets an operator the JVM has not seen.
 *
 * <p>Why: in JDK 17 each lane-wise operation finds its implementation in a per-class cache
 * ({@code VectorOperators.ImplCache.find}) that C2 inlines into every operation of every
 * kernel. The first use of an operator fills its slot through an interface call whose
 * profile C2 has, by then, often seen only one class; when compiled code makes that first
 * use, it deoptimizes and the method records a class-check trap. C2 adds a method's
 * recorded traps once for each place it inlines the method, and a kernel of a hundred
 * vector operations then passes the limit of 100 (PerMethodTrapLimit): from there on C2
 * stops guarding its type predictions with traps, falls back to virtual calls, leaves
 * vector stores out of line and boxes the vectors. Measured on the tanh, sigmoid, softplus
 * and elu network of AllocationTest (its loops carry the vector exp): in about one JVM in
 * three the kernels stayed at 4-9 MB allocated an epoch for good, and exactly those JVMs had
 * the trap in {@code ImplCache.find}; with every operator applied first, none of 14.
 *
 * <p>The caches are per element type, not per shape, so one species of each suffices.
 * {@link #OPERATORS} names all that are applied; a test checks it against the operators
 * that generated kernels and this package's kernels name.
 */
public final class OperatorCaches {
    private static final VectorOperators.Binary[] ARITHMETIC = {
            VectorOperators.ADD, VectorOperators.SUB, VectorOperators.MUL, VectorOperators.DIV,
            VectorOperators.MAX, VectorOperators.MIN};
    private static final VectorOperators.Binary[] BITWISE = {
            VectorOperators.AND, VectorOperators.OR, VectorOperators.XOR, VectorOperators.AND_NOT};
    private static final VectorOperators.Binary[] SHIFTS = {
            VectorOperators.LSHL, VectorOperators.ASHR, VectorOperators.LSHR};
    private static final VectorOperators.Unary[] UNARY = {
            VectorOperators.NEG, VectorOperators.ABS, VectorOperators.SQRT};
    private static final VectorOperators.Associative[] REDUCTIONS = {
            VectorOperators.ADD, VectorOperators.MUL, VectorOperators.MAX, VectorOperators.MIN};
    private static final VectorOperators.Comparison[] COMPARISONS = {
            VectorOperators.EQ, VectorOperators.NE, VectorOperators.LT, VectorOperators.LE,
            VectorOperators.GT, VectorOperators.GE};

    /** Those of {@link Rows#widen}: unsigned bytes to ints to floats. */
    private static final VectorOperators.Conversion<?, ?>[] CONVERSIONS = {VectorOperators.B2I, VectorOperators.I2F};

    /** The names of the operators applied (VectorOperators' field names; FMA is the one ternary). */
    public static final List<String> OPERATORS = Stream.of(
                    Stream.of(ARITHMETIC), Stream.of(BITWISE), Stream.of(SHIFTS), Stream.of(UNARY),
                    Stream.of(REDUCTIONS), Stream.of(COMPARISONS), Stream.of(VectorOperators.FMA), Stream.of(CONVERSIONS))
            .flatMap(s -> s.map(op -> op.name())).distinct().toList();

    /** A sink for the results, so that no application is dead code. */
    private static volatile float sink;

    static {
        applyAll();
    }

    private OperatorCaches() {}

    /** Makes sure every operator has been applied: the first call does it, in this class's initializer. */
    public static void fill() {
        // the work is in the static initializer, which the JVM runs once, before this returns
    }

    private static void applyAll() {
        VectorSpecies<Float> fs = FloatVector.SPECIES_PREFERRED;
        VectorSpecies<Integer> is = IntVector.SPECIES_PREFERRED;
        FloatVector x = FloatVector.broadcast(fs, 1.5f).add(FloatVector.zero(fs).addIndex(1));
        FloatVector y = FloatVector.broadcast(fs, 2f);
        IntVector i = IntVector.zero(is).addIndex(1);
        IntVector j = IntVector.broadcast(is, 3);
        float total = 0;
        for (VectorOperators.Binary op : ARITHMETIC) {
            total += x.lanewise(op, y).add(x.lanewise(op, 2f)).lane(1);
            total += i.lanewise(op, j).add(i.lanewise(op, 3)).lane(1);
        }
        for (VectorOperators.Binary op : BITWISE) total += i.lanewise(op, j).lanewise(op, 5).lane(1);
        for (VectorOperators.Binary op : SHIFTS) total += i.lanewise(op, j).add(i.lanewise(op, 2)).lane(1);
        for (VectorOperators.Unary op : UNARY) {
            total += x.lanewise(op).lane(1);
            if (op != VectorOperators.SQRT) total += i.lanewise(op).lane(1);
        }
        for (VectorOperators.Associative op : REDUCTIONS) total += x.reduceLanes(op) + i.reduceLanes(op);
        for (VectorOperators.Comparison op : COMPARISONS) {
            VectorMask<Float> m = x.compare(op, y);
            total += x.blend(y, m.or(x.compare(op, 2f)).andNot(m.not())).lane(1) + i.compare(op, j).trueCount();
        }
        total += x.fma(y, x).add(x.fma(2f, 1f)).lane(1);
        total += ((FloatVector) i.reinterpretShape(fs, 0)).lane(1) + ((IntVector) x.reinterpretShape(is, 0)).lane(1);
        ByteVector b = ByteVector.zero(ByteVector.SPECIES_64).addIndex(1);
        total += ((IntVector) b.convertShape(VectorOperators.B2I, is, 0)).lane(1)
                + ((FloatVector) i.convertShape(VectorOperators.I2F, fs, 0)).lane(1);
        sink = total;
    }
}
