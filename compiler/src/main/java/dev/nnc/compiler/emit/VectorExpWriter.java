package dev.nnc.compiler.emit;

import dev.nnc.runtime.vector.ExpPolynomial;
import org.objectweb.asm.MethodVisitor;

import static dev.nnc.runtime.vector.ExpPolynomial.*;
import static org.objectweb.asm.Opcodes.*;

/**
 * e^x of a whole vector, written into the vector loop's own bytecode: Cephes' {@code expf}
 * ({@link ExpPolynomial}: x = n ln 2 + r, a polynomial for e^r, then 2^n from the exponent bits), made only of
 * operations that Java defines to the bit (multiplications, additions, fused
 * multiply-adds, reinterpretations and shifts). Why not the Vector API's {@code lanewise(EXP)}:
 * compiled by C2 it calls the JVM's vector math library, interpreted it calls
 * {@code Math.exp} lane by lane, and the two differ in the last bit for about one value in
 * a hundred, so that a run's weights would depend on when the JIT compiled its kernels.
 * Why not a call to a runtime method: C2 often leaves a call that large out of line and
 * then boxes every vector it passes (10 KB a prediction, measured). Within 2 ulp of
 * {@code Math.exp} over the normal range; overflows to infinity, underflows through the
 * subnormals to 0, and keeps NaN.
 */
final class VectorExpWriter {
    private static final String FV = "jdk/incubator/vector/FloatVector";
    private static final String IV = "jdk/incubator/vector/IntVector";
    private static final String FVD = "L" + FV + ";";
    private static final String IVD = "L" + IV + ";";
    private static final String ROOT = "Ljdk/incubator/vector/Vector;";
    private static final String SPECIES = "Ljdk/incubator/vector/VectorSpecies;";
    private static final String OPS = "jdk/incubator/vector/VectorOperators";

    private static final float[] POLYNOMIAL = {
            P0, P1, P2, P3, P4, P5};

    private final MethodVisitor mv;
    private final String owner;

    /** {@code owner} is the helper class, whose static field S is the float species. */
    VectorExpWriter(MethodVisitor mv, String owner) {
        this.mv = mv;
        this.owner = owner;
    }

    /** Replaces the vector x on the stack by e^x; uses five vector locals from {@code firstLocal}. */
    void write(int firstLocal) {
        int x = firstLocal, n = firstLocal + 1, r = firstLocal + 2, whole = firstLocal + 3, half = firstLocal + 4;
        // x = x.max(LOWEST).min(HIGHEST): past these e^x is 0 or infinity anyway, and n fits the scaling below
        floatOp("max", LOWEST);
        floatOp("min", HIGHEST);
        mv.visitVarInsn(ASTORE, x);
        // t = x.fma(LOG2E, ROUNDER): ROUNDER + n, n = x / ln 2 rounded to an integer; as an int
        // its bits are ROUNDER's plus n (no float-to-int conversion: C2 at times leaves that
        // out of line and boxes the vectors); as a float, n = t - ROUNDER
        mv.visitVarInsn(ALOAD, x);
        mv.visitLdcInsn(LOG2E);
        mv.visitLdcInsn(ROUNDER);
        mv.visitMethodInsn(INVOKEVIRTUAL, FV, "fma", "(FF)" + FVD, false);
        mv.visitInsn(DUP);
        reinterpret(FV, IV);
        mv.visitLdcInsn(Float.floatToIntBits(ROUNDER));
        mv.visitMethodInsn(INVOKEVIRTUAL, IV, "sub", "(I)" + IVD, false);
        mv.visitVarInsn(ASTORE, whole);
        floatOp("sub", ROUNDER);
        mv.visitVarInsn(ASTORE, n);
        // r = n.fma(-LN2_LO, n.fma(-LN2_HI, x)): x - n ln 2, in [-ln 2 / 2, ln 2 / 2]
        mv.visitVarInsn(ALOAD, n);
        broadcast(-LN2_LO);
        mv.visitVarInsn(ALOAD, n);
        broadcast(-LN2_HI);
        mv.visitVarInsn(ALOAD, x);
        fma();
        fma();
        mv.visitVarInsn(ASTORE, r);
        // p = polynomial(r); e^r = p * r * r + r + 1
        broadcast(POLYNOMIAL[0]);
        for (int i = 1; i < POLYNOMIAL.length; i++) {
            mv.visitVarInsn(ALOAD, r);
            broadcast(POLYNOMIAL[i]);
            fma();
        }
        mv.visitVarInsn(ALOAD, r);
        mv.visitVarInsn(ALOAD, r);
        vectorOp(FV, "mul");
        vectorOp(FV, "mul");
        mv.visitVarInsn(ALOAD, r);
        vectorOp(FV, "add");
        floatOp("add", 1f);
        // times 2^n as 2^half * 2^(n - half), each factor a normal float for n in [-150, 129]:
        // their product overflows or goes subnormal exactly as e^x does
        mv.visitVarInsn(ALOAD, whole);
        shift("ASHR", 1);
        mv.visitVarInsn(ASTORE, half);
        mv.visitVarInsn(ALOAD, half);
        powerOfTwo();
        vectorOp(FV, "mul");
        mv.visitVarInsn(ALOAD, whole);
        mv.visitVarInsn(ALOAD, half);
        vectorOp(IV, "sub");
        powerOfTwo();
        vectorOp(FV, "mul");
    }

    /** The int vector n on the stack becomes the float vector 2^n: (n + 127) << 23 as bits. */
    private void powerOfTwo() {
        mv.visitIntInsn(SIPUSH, 127);
        mv.visitMethodInsn(INVOKEVIRTUAL, IV, "add", "(I)" + IVD, false);
        shift("LSHL", 23);
        reinterpret(IV, FV);
    }

    /**
     * The vector on the stack reinterpreted as one of {@code to}'s preferred species, a
     * constant (reinterpretAsInts() computes the species at run time, and C2 then loses the
     * vector's exact class, leaves the int operations unbound, and boxes the vectors).
     */
    private void reinterpret(String from, String to) {
        mv.visitFieldInsn(GETSTATIC, to, "SPECIES_PREFERRED", SPECIES);
        mv.visitInsn(ICONST_0);
        mv.visitMethodInsn(INVOKEVIRTUAL, from, "reinterpretShape", "(" + SPECIES + "I)" + ROOT, false);
        mv.visitTypeInsn(CHECKCAST, to);
    }

    private void shift(String op, int by) {
        mv.visitFieldInsn(GETSTATIC, OPS, op, "L" + OPS + "$Binary;");
        mv.visitIntInsn(BIPUSH, by);
        mv.visitMethodInsn(INVOKEVIRTUAL, IV, "lanewise", "(L" + OPS + "$Binary;I)" + IVD, false);
    }

    private void floatOp(String name, float operand) {
        mv.visitLdcInsn(operand);
        mv.visitMethodInsn(INVOKEVIRTUAL, FV, name, "(F)" + FVD, false);
    }

    private void vectorOp(String vector, String name) {
        String descriptor = "L" + vector + ";";
        mv.visitMethodInsn(INVOKEVIRTUAL, vector, name, "(" + ROOT + ")" + descriptor, false);
    }

    /** a, b, c on the stack: a.fma(b, c). */
    private void fma() {
        mv.visitMethodInsn(INVOKEVIRTUAL, FV, "fma", "(" + ROOT + ROOT + ")" + FVD, false);
    }

    private void broadcast(float value) {
        mv.visitFieldInsn(GETSTATIC, owner, "S", SPECIES);
        mv.visitLdcInsn(value);
        mv.visitMethodInsn(INVOKESTATIC, FV, "broadcast", "(" + SPECIES + "F)" + FVD, false);
    }
}
