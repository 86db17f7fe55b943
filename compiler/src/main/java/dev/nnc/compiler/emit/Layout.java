package dev.nnc.compiler.emit;

import org.objectweb.asm.MethodVisitor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.objectweb.asm.Opcodes.*;

/**
 * Where the generated code finds the buffers and the kernels. The plain layout: a field
 * per buffer and a private method per kernel, in the model class. The split layout, for
 * a model that one class file cannot hold (65,535 constants: a few thousand fields and
 * methods): the buffers in one field, an array of arrays, and the kernels as static
 * methods {@code (Model self, int n)} of kernel classes, {@link #KERNELS_PER_CLASS}
 * each. A kernel class also runs the pieces of the model's kernel sequences that are
 * its own ("runners"), so that no class refers to more than its own kernels, and the
 * model class calls a runner per piece.
 */
final class Layout {
    static final String BUFFERS = "buffers";
    static final int KERNELS_PER_CLASS = 1000;

    /** A piece of a kernel sequence that one kernel class runs. */
    record Runner(int kernelClass, String name, List<String> kernels) {}

    private final boolean split;
    private final String owner;
    private final String array;
    private final Map<String, Integer> positions = new HashMap<>();
    private final Map<String, Integer> kernelClasses = new HashMap<>();
    private final Map<List<String>, List<Runner>> runners = new LinkedHashMap<>();
    private final int kernelClassCount;

    Layout(ClassPlan plan, String array) {
        this.split = plan.split();
        this.owner = plan.className();
        this.array = array;
        for (ClassPlan.Buffer b : plan.buffers()) positions.put(b.name(), positions.size());
        List<String> kernels = plan.kernels().stream().map(f -> f.name()).toList();
        for (int i = 0; i < kernels.size(); i++) kernelClasses.put(kernels.get(i), i / KERNELS_PER_CLASS);
        this.kernelClassCount = split ? (kernels.size() + KERNELS_PER_CLASS - 1) / KERNELS_PER_CLASS : 0;
    }

    boolean split() {
        return split;
    }

    /** The access of the fields kernels read: package access when kernel classes read them. */
    int fieldAccess() {
        return split ? 0 : ACC_PRIVATE;
    }

    int position(String buffer) {
        return positions.get(buffer);
    }

    /** Pushes the named array of the model instance in local 0 (x and y are always fields). */
    void loadArray(MethodVisitor mv, String name) {
        mv.visitVarInsn(ALOAD, 0);
        Integer position = split ? positions.get(name) : null;
        if (position == null) {
            mv.visitFieldInsn(GETFIELD, owner, name, array);
            return;
        }
        mv.visitFieldInsn(GETFIELD, owner, BUFFERS, "[" + array);
        mv.visitLdcInsn(position);
        mv.visitInsn(AALOAD);
    }

    /** Runs the kernels in order with the model instance in local 0: n from {@code rowsSlot}, or 0 when it is negative. */
    void callKernels(MethodVisitor mv, List<String> kernels, int rowsSlot) {
        if (!split) {
            ClassEmitter.callKernels(mv, owner, kernels, rowsSlot);
            return;
        }
        for (Runner r : runners(kernels)) {
            mv.visitVarInsn(ALOAD, 0);
            if (rowsSlot < 0) mv.visitInsn(ICONST_0);
            else mv.visitVarInsn(ILOAD, rowsSlot);
            mv.visitMethodInsn(INVOKESTATIC, kernelClassName(r.kernelClass()), r.name(), kernelDescriptor(), false);
        }
    }

    /** The sequence cut where its kernels change class; the same runners for the same sequence. */
    private List<Runner> runners(List<String> kernels) {
        return runners.computeIfAbsent(List.copyOf(kernels), k -> {
            List<Runner> pieces = new ArrayList<>();
            int start = 0;
            for (int i = 1; i <= k.size(); i++) {
                if (i == k.size() || !kernelClasses.get(k.get(i)).equals(kernelClasses.get(k.get(start)))) {
                    pieces.add(new Runner(kernelClasses.get(k.get(start)), "run" + (runnerCount() + pieces.size()),
                            k.subList(start, i)));
                    start = i;
                }
            }
            return pieces;
        });
    }

    private int runnerCount() {
        return runners.values().stream().mapToInt(List::size).sum();
    }

    int kernelClassCount() {
        return kernelClassCount;
    }

    int kernelClass(String kernel) {
        return kernelClasses.get(kernel);
    }

    String kernelClassName(int index) {
        return owner + "$Kernels" + index;
    }

    /** The runners of one kernel class, once every sequence has been called. */
    List<Runner> runnersOf(int kernelClass) {
        return runners.values().stream().flatMap(List::stream).filter(r -> r.kernelClass() == kernelClass).toList();
    }

    /** {@code (LModel;I)V}: a kernel or runner of a kernel class. */
    String kernelDescriptor() {
        return "(L" + owner + ";I)V";
    }
}
