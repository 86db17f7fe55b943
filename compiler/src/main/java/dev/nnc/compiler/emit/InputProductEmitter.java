package dev.nnc.compiler.emit;

import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

import static org.objectweb.asm.Opcodes.*;

/**
 * The model class's methods that let a trainer compute the first dense layer's weight
 * gradient over a whole batch (see {@link dev.nnc.runtime.InputProduct}):
 * {@code inputProduct()} and {@code computeInputProduct}. The class emitter adds
 * {@code gradientsWithoutInputProduct}, its training kernels but this one, and
 * {@code inputProductDelta()}. Part of {@link ClassEmitter}'s work.
 */
final class InputProductEmitter {
    private static final String RECORD = "dev/nnc/runtime/InputProduct";

    private final ClassWriter cw;
    private final ClassPlan plan;
    private final ClassPlan.InputProduct product;
    private final String owner;
    private final String array;
    private final Layout layout;

    InputProductEmitter(ClassWriter cw, ClassPlan plan, String owner, String array, Layout layout) {
        this.cw = cw;
        this.plan = plan;
        this.product = plan.inputProduct();
        this.owner = owner;
        this.array = array;
        this.layout = layout;
    }

    void emit() {
        describe();
        compute();
    }

    /** inputProduct() = VECTOR ? new InputProduct(parameter, outputs, inputs, TILE_ROWS) : null (the scalar path computes it per part). */
    private void describe() {
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, "inputProduct", "()L" + RECORD + ";", null, null);
        mv.visitCode();
        Label scalar = new Label();
        mv.visitFieldInsn(GETSTATIC, owner, ClassEmitter.VECTOR_FLAG, "Z");
        mv.visitJumpInsn(IFEQ, scalar);
        mv.visitTypeInsn(NEW, RECORD);
        mv.visitInsn(DUP);
        mv.visitLdcInsn(product.parameter());
        mv.visitLdcInsn(product.outputs());
        mv.visitLdcInsn(product.inputs());
        mv.visitLdcInsn(VectorKernelEmitter.TILE_ROWS);
        mv.visitMethodInsn(INVOKESPECIAL, RECORD, "<init>", "(IIII)V", false);
        mv.visitInsn(ARETURN);
        mv.visitLabel(scalar);
        mv.visitInsn(ACONST_NULL);
        mv.visitInsn(ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /**
     * computeInputProduct(delta, x, rows, from, to): for (first = from; first < to; first +=
     * TILE_ROWS) helper.method(delta, x, g, rows, first), the kernel's own calls over a range
     * of the gradient's rows; each call computes TILE_ROWS rows, or the rows left at the end.
     */
    private void compute() {
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, "computeInputProduct", "(" + array + array + "III)V", null, null);
        mv.visitCode();
        int delta = 1;
        int x = 2;
        int rows = 3;
        int first = 4;
        int to = 5;
        Label test = new Label();
        Label end = new Label();
        mv.visitLabel(test);
        mv.visitVarInsn(ILOAD, first);
        mv.visitVarInsn(ILOAD, to);
        mv.visitJumpInsn(IF_ICMPGE, end);
        mv.visitVarInsn(ALOAD, delta);
        mv.visitVarInsn(ALOAD, x);
        layout.loadArray(mv, dev.nnc.compiler.loop.Buffers.gradient(product.parameter()));
        mv.visitVarInsn(ILOAD, rows);
        mv.visitVarInsn(ILOAD, first);
        mv.visitMethodInsn(INVOKESTATIC, plan.helperClassName(), product.method(), VectorKernelEmitter.MATMUL_DESCRIPTOR, false);
        mv.visitIincInsn(first, VectorKernelEmitter.TILE_ROWS);
        mv.visitJumpInsn(GOTO, test);
        mv.visitLabel(end);
        mv.visitInsn(RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }
}
