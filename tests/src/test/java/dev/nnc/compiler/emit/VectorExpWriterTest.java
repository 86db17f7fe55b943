package dev.nnc.compiler.emit;

import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.util.CheckClassAdapter;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Random;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.*;
import static org.objectweb.asm.Opcodes.*;

/**
 * The exp that vector loops carry in their own bytecode: within 2 ulp of Math.exp from
 * underflow to overflow, exact at the edges, NaN kept; and a class that passes ASM's
 * verifier. (That it gives the same bits interpreted and compiled follows from its
 * operations, each defined to the bit; ReproducibilityTest trains with it.)
 */
class VectorExpWriterTest {
    /** Floats per vector at most (2048 bits): arrays come in whole multiples of it. */
    private static final int LANES = 64;

    /**
     * A class with the species field S, {@code static int lanes()}, and {@code static void
     * exp(float[] a, int at)}: e^ of the vector at {@code at}, in place.
     */
    private static byte[] expClass() {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
        String owner = "dev/nnc/compiler/emit/ExpUnderTest";
        String species = "Ljdk/incubator/vector/VectorSpecies;";
        String vector = "jdk/incubator/vector/FloatVector";
        cw.visit(V17, ACC_PUBLIC | ACC_FINAL, owner, null, "java/lang/Object", null);
        cw.visitField(ACC_STATIC | ACC_FINAL, "S", species, null, null).visitEnd();
        method(cw, ACC_STATIC, "<clinit>", "()V", mv -> {
            mv.visitFieldInsn(GETSTATIC, vector, "SPECIES_PREFERRED", species);
            mv.visitFieldInsn(PUTSTATIC, owner, "S", species);
            mv.visitInsn(RETURN);
        });
        method(cw, ACC_PUBLIC | ACC_STATIC, "lanes", "()I", mv -> {
            mv.visitFieldInsn(GETSTATIC, owner, "S", species);
            mv.visitMethodInsn(INVOKEINTERFACE, "jdk/incubator/vector/VectorSpecies", "length", "()I", true);
            mv.visitInsn(IRETURN);
        });
        method(cw, ACC_PUBLIC | ACC_STATIC, "exp", "([FI)V", mv -> {
            // FloatVector.fromArray(S, a, at) -> exp -> intoArray(a, at)
            mv.visitFieldInsn(GETSTATIC, owner, "S", species);
            mv.visitVarInsn(ALOAD, 0);
            mv.visitVarInsn(ILOAD, 1);
            mv.visitMethodInsn(INVOKESTATIC, vector, "fromArray", "(" + species + "[FI)L" + vector + ";", false);
            new VectorExpWriter(mv, owner).write(2);
            mv.visitVarInsn(ALOAD, 0);
            mv.visitVarInsn(ILOAD, 1);
            mv.visitMethodInsn(INVOKEVIRTUAL, vector, "intoArray", "([FI)V", false);
            mv.visitInsn(RETURN);
        });
        cw.visitEnd();
        return cw.toByteArray();
    }

    private static void method(ClassWriter cw, int access, String name, String descriptor, Consumer<MethodVisitor> body) {
        MethodVisitor mv = cw.visitMethod(access, name, descriptor, null, null);
        mv.visitCode();
        body.accept(mv);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    private static float[] exp(float[] x) throws Throwable {
        MethodHandles.Lookup lookup = MethodHandles.lookup().defineHiddenClass(expClass(), true);
        MethodHandle exp = lookup.findStatic(lookup.lookupClass(), "exp", MethodType.methodType(void.class, float[].class, int.class));
        int lanes = (int) lookup.findStatic(lookup.lookupClass(), "lanes", MethodType.methodType(int.class)).invokeExact();
        float[] out = x.clone();
        for (int at = 0; at < out.length; at += lanes) exp.invokeExact(out, at);
        return out;
    }

    /** n values uniform in [low, high), then the edges, in whole vectors. */
    private static float[] values(long seed, int n, float low, float high, float... edges) {
        int length = (n + edges.length + LANES - 1) / LANES * LANES;
        float[] x = new float[length];
        Random random = new Random(seed);
        for (int i = 0; i < length; i++) x[i] = low + random.nextFloat() * (high - low);
        System.arraycopy(edges, 0, x, length - edges.length, edges.length);
        return x;
    }

    @Test
    void isWithinTwoUlpOfMathExpFromUnderflowToOverflow() throws Throwable {
        float[] x = values(1, 20_000, -110, 95, 0f, -0f, 1f, 88.72f, 88.73f, -87.3f, -103.9f, -104.5f, 1e-30f,
                -1e-30f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY);
        float[] got = exp(x);
        for (int i = 0; i < x.length; i++) {
            float expected = (float) Math.exp(x[i]);
            if (Float.isNaN(expected) || Float.isInfinite(expected) || expected == 0 || expected == 1) {
                assertEquals(expected, got[i], "e^" + x[i]);
            } else {
                // below the normal range an ulp is the subnormals' step
                float ulp = Math.max(Math.ulp(expected), Float.MIN_VALUE);
                assertEquals(expected, got[i], 2 * ulp, "e^" + x[i]);
            }
        }
    }

    @Test
    void passesTheVerifier() {
        StringWriter problems = new StringWriter();
        CheckClassAdapter.verify(new org.objectweb.asm.ClassReader(expClass()), getClass().getClassLoader(), false,
                new PrintWriter(problems));
        assertEquals("", problems.toString());
    }
}
