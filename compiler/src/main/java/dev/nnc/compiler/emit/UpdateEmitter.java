package dev.nnc.compiler.emit;

import dev.nnc.compiler.loop.Loop;
import dev.nnc.compiler.loop.UpdateLowering;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;

import java.util.List;

import static org.objectweb.asm.Opcodes.*;

/**
 * The model class's methods around its weights changing: the optimizer step, whole
 * ({@code update}) or in slices that threads share ({@code beginUpdate},
 * {@code updateSlice}, {@code endUpdate}), and {@code packWeights}, whose packed
 * copies the step drops. Part of {@link ClassEmitter}'s work.
 */
final class UpdateEmitter {
    private final ClassWriter cw;
    private final ClassPlan plan;
    private final String owner;
    private final String array;
    private final Layout layout;

    UpdateEmitter(ClassWriter cw, ClassPlan plan, String owner, String array, Layout layout) {
        this.cw = cw;
        this.plan = plan;
        this.owner = owner;
        this.array = array;
        this.layout = layout;
    }

    void emit() {
        update();
        beginUpdate();
        updateSlice();
        endUpdate();
        if (!plan.doublePrecision()) packWeights();
    }

    /**
     * packWeights(): with the Vector API and 512-bit vectors, each weight that prediction
     * multiplies by gets its packed copy: {@code p0_packed = Gemm.pack(p0, n, k)}, or
     * {@code Conv.pack(p0, f, c, kh, kw)} for a convolution's filters.
     */
    private void packWeights() {
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, "packWeights", "()V", null, null);
        mv.visitCode();
        org.objectweb.asm.Label done = new org.objectweb.asm.Label();
        if (!plan.packedWeights().isEmpty()) {
            mv.visitFieldInsn(GETSTATIC, owner, ClassEmitter.VECTOR_FLAG, "Z");
            mv.visitJumpInsn(IFEQ, done);
            mv.visitMethodInsn(INVOKESTATIC, ClassEmitter.GEMM, "available", "()Z", false);
            mv.visitJumpInsn(IFEQ, done);
        }
        for (Loop.PackedWeight w : plan.packedWeights()) {
            mv.visitVarInsn(ALOAD, 0);
            mv.visitVarInsn(ALOAD, 0);
            mv.visitFieldInsn(GETFIELD, owner, w.parameter(), array);
            w.sizes().forEach(mv::visitLdcInsn);
            mv.visitMethodInsn(INVOKESTATIC, ClassEmitter.VECTOR_PACKAGE + w.owner(), "pack",
                    "([F" + "I".repeat(w.sizes().size()) + ")[F", false);
            mv.visitFieldInsn(PUTFIELD, owner, w.field(), array);
        }
        mv.visitLabel(done);
        mv.visitInsn(RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** update(lr) = beginUpdate(lr), the kernels of every slice in order, endUpdate(). */
    private void update() {
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, "update", "(D)V", null, null);
        mv.visitCode();
        mv.visitVarInsn(ALOAD, 0);
        mv.visitVarInsn(DLOAD, 1);
        mv.visitMethodInsn(INVOKEVIRTUAL, owner, "beginUpdate", "(D)V", false);
        for (List<String> slice : plan.updateSlices()) layout.callKernels(mv, slice, -1);
        mv.visitVarInsn(ALOAD, 0);
        mv.visitMethodInsn(INVOKEVIRTUAL, owner, "endUpdate", "()V", false);
        mv.visitInsn(RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** beginUpdate(lr): lr set, step += 1, the slices' penalty sums zeroed, the packed weights dropped. */
    private void beginUpdate() {
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, "beginUpdate", "(D)V", null, null);
        mv.visitCode();
        mv.visitVarInsn(ALOAD, 0);
        mv.visitVarInsn(DLOAD, 1);
        mv.visitFieldInsn(PUTFIELD, owner, "lr", "D");
        mv.visitVarInsn(ALOAD, 0);
        mv.visitInsn(DUP);
        mv.visitFieldInsn(GETFIELD, owner, "step", "D");
        mv.visitInsn(DCONST_1);
        mv.visitInsn(DADD);
        mv.visitFieldInsn(PUTFIELD, owner, "step", "D");
        for (int slice = 0; slice < plan.updateSlices().size(); slice++) {
            mv.visitVarInsn(ALOAD, 0);
            mv.visitInsn(DCONST_0);
            mv.visitFieldInsn(PUTFIELD, owner, UpdateLowering.penaltyOfSlice(slice), "D");
        }
        // the weights change: prediction goes back to the kernels that read them directly
        for (Loop.PackedWeight w : plan.packedWeights()) {
            mv.visitVarInsn(ALOAD, 0);
            mv.visitInsn(ACONST_NULL);
            mv.visitFieldInsn(PUTFIELD, owner, w.field(), array);
        }
        mv.visitInsn(RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** updateSlice(s): the update kernels of slice s (each writes its range of a tensor and its own penalty sum). */
    private void updateSlice() {
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, "updateSlice", "(I)V", null, null);
        mv.visitCode();
        for (int slice = 0; slice < plan.updateSlices().size(); slice++) {
            org.objectweb.asm.Label next = new org.objectweb.asm.Label();
            mv.visitVarInsn(ILOAD, 1);
            mv.visitLdcInsn(slice);
            mv.visitJumpInsn(IF_ICMPNE, next);
            layout.callKernels(mv, plan.updateSlices().get(slice), -1);
            mv.visitInsn(RETURN);
            mv.visitLabel(next);
        }
        mv.visitInsn(RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** endUpdate(): penalty = the slices' sums, added in slice order. */
    private void endUpdate() {
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, "endUpdate", "()V", null, null);
        mv.visitCode();
        mv.visitVarInsn(ALOAD, 0);
        mv.visitInsn(DCONST_0);
        for (int slice = 0; slice < plan.updateSlices().size(); slice++) {
            mv.visitVarInsn(ALOAD, 0);
            mv.visitFieldInsn(GETFIELD, owner, UpdateLowering.penaltyOfSlice(slice), "D");
            mv.visitInsn(DADD);
        }
        mv.visitFieldInsn(PUTFIELD, owner, "penalty", "D");
        mv.visitInsn(RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }
}
