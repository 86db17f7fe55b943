package dev.nnc.compiler.emit;

import dev.nnc.compiler.loop.Buffers;
import dev.nnc.compiler.loop.Loop;
import dev.nnc.compiler.loop.UpdateLowering;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

import java.util.List;
import java.util.Set;

import static org.objectweb.asm.Opcodes.*;

/**
 * Writes the model class: one field per buffer, one private method per kernel, and the
 * {@link dev.nnc.runtime.Network} methods, each a straight sequence of kernel calls; or,
 * for a model one class file cannot hold, the same in the split {@link Layout}, with its
 * kernel classes. With {@link UpdateEmitter}, {@link LoopEmitter} and
 * {@link VectorKernelEmitter}, the only part of the compiler that sees ASM.
 */
public final class ClassEmitter {
    private static final String NETWORK = "dev/nnc/runtime/Network";
    private static final String RNG = "dev/nnc/runtime/Rng";
    /** The runtime's packed matrix product of prediction (loaded only with the Vector API). */
    static final String VECTOR_PACKAGE = "dev/nnc/runtime/vector/";
    static final String GEMM = VECTOR_PACKAGE + "Gemm";
    /** Whether the Vector API is there: decided once, when the class is initialised. */
    static final String VECTOR_FLAG = "VECTOR";
    /** The double fields kernels read and write by name: see {@link #scalars()}. */
    private final Set<String> scalars;

    /** The split layout's tables (see {@link dev.nnc.runtime.BufferTable}): static int[] fields of the model class. */
    private static final String LAYOUT = "LAYOUT";
    private static final String PARAMETERS = "PARAMETERS";
    private static final String GRADIENTS = "GRADIENTS";
    private static final String STATES = "STATES";
    private static final String RELUS = "RELUS";
    private static final String BUFFER_TABLE = "dev/nnc/runtime/BufferTable";

    private final ClassPlan plan;
    private final String owner;
    private final Type element;
    private final String array;
    private final Layout layout;
    private ClassWriter cw;

    private ClassEmitter(ClassPlan plan) {
        this.plan = plan;
        this.owner = plan.className();
        this.element = plan.doublePrecision() ? Type.DOUBLE_TYPE : Type.FLOAT_TYPE;
        this.array = "[" + element.getDescriptor();
        this.scalars = scalars(plan);
        this.layout = new Layout(plan, array);
    }

    /** loss, penalty, step, lr, batch, and each update slice's penalty sum. */
    private static Set<String> scalars(ClassPlan plan) {
        Set<String> names = new java.util.LinkedHashSet<>(List.of("loss", "penalty", "step", "lr", "batch"));
        for (int slice = 0; slice < plan.updateSlices().size(); slice++) names.add(UpdateLowering.penaltyOfSlice(slice));
        return names;
    }

    /** The model class and, in the split layout, its kernel classes, by binary name (the model class first). */
    public static java.util.Map<String, byte[]> emit(ClassPlan plan) {
        try {
            ClassEmitter emitter = new ClassEmitter(plan);
            java.util.Map<String, byte[]> classes = new java.util.LinkedHashMap<>();
            classes.put(plan.className().replace('/', '.'), emitter.emit());
            for (int k = 0; k < emitter.layout.kernelClassCount(); k++) {
                classes.put(emitter.layout.kernelClassName(k).replace('/', '.'), emitter.kernelClass(k));
            }
            return classes;
        } catch (org.objectweb.asm.MethodTooLargeException | org.objectweb.asm.ClassTooLargeException e) {
            throw tooLarge(e);
        }
    }

    /**
     * A model beyond what the generated classes can hold (a method's 64 KB of bytecode, a
     * class's 65,535 constants): the user's to change, so a message, not an internal error.
     * The compiler answers the first one with the split layout.
     */
    public static final class TooLarge extends dev.nnc.runtime.UserError {
        TooLarge(String message) {
            super(message);
        }
    }

    static TooLarge tooLarge(RuntimeException e) {
        String what = e instanceof org.objectweb.asm.MethodTooLargeException m
                ? "its method " + m.getMethodName() + " would need " + m.getCodeSize() + " bytes of bytecode, and the JVM allows 65,535"
                : "its class would need more than the JVM's 65,535 constants";
        return new TooLarge("error: this model is too large for nnc's generated code: " + what + "; use fewer or smaller layers");
    }

    private static ClassWriter writer() {
        return new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS) {
            @Override
            protected String getCommonSuperClass(String a, String b) {
                return "java/lang/Object";
            }
        };
    }

    private byte[] emit() {
        cw = writer();
        String[] interfaces = plan.doublePrecision() ? null : new String[]{NETWORK};
        cw.visit(V17, ACC_PUBLIC | ACC_FINAL | ACC_SUPER, owner, null, "java/lang/Object", interfaces);
        cw.visitSource(owner.substring(owner.lastIndexOf('/') + 1) + ".nn", null);
        // set in <clinit> from pieces: a constant string holds at most 65,535 bytes, a large model's spec more
        cw.visitField(ACC_PUBLIC | ACC_STATIC | ACC_FINAL, "SPEC", "Ljava/lang/String;", null, null).visitEnd();
        int access = layout.fieldAccess();
        cw.visitField(ACC_PRIVATE | ACC_FINAL, "maxBatch", "I", null, null).visitEnd();
        cw.visitField(access | ACC_FINAL, "rng", "L" + RNG + ";", null, null).visitEnd();
        for (String scalar : scalars) cw.visitField(access, scalar, "D", null, null).visitEnd();
        cw.visitField(access, "x", array, null, null).visitEnd();
        cw.visitField(access, "y", array, null, null).visitEnd();
        if (layout.split()) {
            cw.visitField(access | ACC_FINAL, Layout.BUFFERS, "[" + array, null, null).visitEnd();
            for (String table : List.of(LAYOUT, PARAMETERS, GRADIENTS, STATES, RELUS)) {
                cw.visitField(ACC_PRIVATE | ACC_STATIC | ACC_FINAL, table, "[I", null, null).visitEnd();
            }
        } else {
            for (ClassPlan.Buffer b : plan.buffers()) cw.visitField(ACC_PRIVATE | ACC_FINAL, b.name(), array, null, null).visitEnd();
        }
        for (Loop.PackedWeight w : plan.packedWeights()) cw.visitField(ACC_PRIVATE, w.field(), array, null, null).visitEnd();

        cw.visitField(ACC_STATIC | ACC_FINAL | access, VECTOR_FLAG, "Z", null, null).visitEnd();
        vectorFlag();
        constructor(false);
        constructor(true);
        replica();
        if (!layout.split()) for (Loop.Function f : plan.kernels()) kernel(f);
        runMethod("predict", "(" + array + "I)" + array, plan.predict(), false, plan.inferenceOutput());
        runMethod("evaluate", "(" + array + array + "I)D", plan.evaluate(), true, null);
        runMethod("gradients", "(" + array + array + "II)D", plan.train(), true, null);
        gradientsOfWholeBatch();
        if (plan.inputProduct() != null) {
            List<String> others = plan.train().stream().filter(k -> !k.equals(plan.inputProduct().kernel())).toList();
            runMethod("gradientsWithoutInputProduct", "(" + array + array + "II)D", others, true, null);
            arrayGetter("inputProductDelta", plan.inputProduct().delta());
            new InputProductEmitter(cw, plan, owner, array, layout).emit();
        }
        new UpdateEmitter(cw, plan, owner, array, layout).emit();
        trainStep();
        arrayGetter("predictions", plan.inferenceOutput());
        arrayGetter("trainingPredictions", plan.trainingOutput());
        arrays("parameters", PARAMETERS, parameterFields());
        arrays("parameterGradients", GRADIENTS, gradientFields());
        arrays("reluOutputs", RELUS, plan.reluOutputs());
        arrays("optimizerState", STATES, optimizerStateFields());
        resetOptimizer();
        simple();
        cw.visitEnd();
        return cw.toByteArray();
    }

    /**
     * VECTOR = the system property nnc.vector is not "false" and FloatVector loads, and
     * then every vector operator is applied once before any kernel runs (see the runtime's
     * OperatorCaches); when it does not load, one line on standard error says how to get
     * the fast path.
     */
    private void vectorFlag() {
        MethodVisitor mv = cw.visitMethod(ACC_STATIC, "<clinit>", "()V", null, null);
        mv.visitCode();
        spec(mv);
        if (layout.split()) tables(mv);
        org.objectweb.asm.Label off = new org.objectweb.asm.Label();
        org.objectweb.asm.Label missing = new org.objectweb.asm.Label();
        org.objectweb.asm.Label done = new org.objectweb.asm.Label();
        if (!plan.hasVectorCode() || plan.doublePrecision()) {
            mv.visitJumpInsn(GOTO, off);
        } else {
            mv.visitLdcInsn("nnc.vector");
            mv.visitMethodInsn(INVOKESTATIC, "java/lang/System", "getProperty", "(Ljava/lang/String;)Ljava/lang/String;", false);
            mv.visitLdcInsn("false");
            mv.visitInsn(SWAP);
            mv.visitMethodInsn(INVOKEVIRTUAL, "java/lang/String", "equals", "(Ljava/lang/Object;)Z", false);
            mv.visitJumpInsn(IFNE, off);
            mv.visitMethodInsn(INVOKESTATIC, "java/lang/ModuleLayer", "boot", "()Ljava/lang/ModuleLayer;", false);
            mv.visitLdcInsn("jdk.incubator.vector");
            mv.visitMethodInsn(INVOKEVIRTUAL, "java/lang/ModuleLayer", "findModule", "(Ljava/lang/String;)Ljava/util/Optional;", false);
            mv.visitMethodInsn(INVOKEVIRTUAL, "java/util/Optional", "isPresent", "()Z", false);
            mv.visitJumpInsn(IFEQ, missing);
            mv.visitInsn(ICONST_1);
            mv.visitFieldInsn(PUTSTATIC, owner, VECTOR_FLAG, "Z");
            mv.visitMethodInsn(INVOKESTATIC, "dev/nnc/runtime/vector/OperatorCaches", "fill", "()V", false);
            mv.visitJumpInsn(GOTO, done);
            mv.visitLabel(missing);
            mv.visitFieldInsn(GETSTATIC, "java/lang/System", "err", "Ljava/io/PrintStream;");
            mv.visitLdcInsn("nnc: the Vector API is not available, so this model runs its scalar loops; for the fast path run java with --add-modules jdk.incubator.vector");
            mv.visitMethodInsn(INVOKEVIRTUAL, "java/io/PrintStream", "println", "(Ljava/lang/String;)V", false);
        }
        mv.visitLabel(off);
        mv.visitInsn(ICONST_0);
        mv.visitFieldInsn(PUTSTATIC, owner, VECTOR_FLAG, "Z");
        mv.visitLabel(done);
        mv.visitInsn(RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** SPEC = the spec's JSON. */
    private void spec(MethodVisitor mv) {
        pushText(mv, plan.specJson());
        mv.visitFieldInsn(PUTSTATIC, owner, "SPEC", "Ljava/lang/String;");
    }

    /**
     * Pushes a string of any length: "piece" + "piece" + ..., pieces of 16,384 characters
     * (49,152 bytes at most in the class file; a constant string holds 65,535).
     */
    private static void pushText(MethodVisitor mv, String text) {
        int piece = 16_384;
        mv.visitTypeInsn(NEW, "java/lang/StringBuilder");
        mv.visitInsn(DUP);
        mv.visitMethodInsn(INVOKESPECIAL, "java/lang/StringBuilder", "<init>", "()V", false);
        for (int from = 0; from < text.length(); from += piece) {
            mv.visitLdcInsn(text.substring(from, Math.min(text.length(), from + piece)));
            mv.visitMethodInsn(INVOKEVIRTUAL, "java/lang/StringBuilder", "append", "(Ljava/lang/String;)Ljava/lang/StringBuilder;", false);
        }
        mv.visitMethodInsn(INVOKEVIRTUAL, "java/lang/StringBuilder", "toString", "()Ljava/lang/String;", false);
    }

    /**
     * The split layout's tables, parsed from text: LAYOUT, each buffer's size and flags
     * (batched; shared by replicas: the parameters and the optimizer state); and the
     * positions of the parameters, their gradients, the optimizer state, the relu outputs.
     */
    private void tables(MethodVisitor mv) {
        List<Integer> entries = new java.util.ArrayList<>();
        for (ClassPlan.Buffer b : plan.buffers()) {
            entries.add(b.size());
            entries.add((b.batched() ? dev.nnc.runtime.BufferTable.BATCHED : 0) | (shared(b.name()) ? dev.nnc.runtime.BufferTable.SHARED : 0));
        }
        table(mv, LAYOUT, entries);
        table(mv, PARAMETERS, positions(parameterFields()));
        table(mv, GRADIENTS, positions(gradientFields()));
        table(mv, STATES, positions(optimizerStateFields()));
        table(mv, RELUS, positions(plan.reluOutputs()));
    }

    private List<Integer> positions(List<String> buffers) {
        return buffers.stream().map(layout::position).toList();
    }

    private void table(MethodVisitor mv, String field, List<Integer> values) {
        pushText(mv, String.join(",", values.stream().map(String::valueOf).toList()));
        mv.visitMethodInsn(INVOKESTATIC, BUFFER_TABLE, "parse", "(Ljava/lang/String;)[I", false);
        mv.visitFieldInsn(PUTSTATIC, owner, field, "[I");
    }

    /** Whether a replica shares the buffer with its network: a parameter (p*) or optimizer state (s*). */
    private static boolean shared(String buffer) {
        return buffer.startsWith("p") || buffer.startsWith("s");
    }

    private List<String> parameterFields() {
        return java.util.stream.IntStream.range(0, plan.parameterCount()).mapToObj(Buffers::parameter).toList();
    }

    private List<String> gradientFields() {
        return java.util.stream.IntStream.range(0, plan.parameterCount()).mapToObj(Buffers::gradient).toList();
    }

    /** The replica constructor's descriptor: {@code (int maxBatch, Owner shared, boolean sharingGradients)}. */
    private String replicaConstructor() {
        return "(IL" + owner + ";Z)V";
    }

    /**
     * {@code (int maxBatch)}, and {@link #replicaConstructor()} for a replica that uses
     * shared's parameters, and its gradient arrays too when {@code sharingGradients} (in
     * the split layout, never).
     */
    private void constructor(boolean replica) {
        MethodVisitor mv = cw.visitMethod(replica ? ACC_PRIVATE : ACC_PUBLIC, "<init>", replica ? replicaConstructor() : "(I)V", null, null);
        mv.visitCode();
        mv.visitVarInsn(ALOAD, 0);
        mv.visitMethodInsn(INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        mv.visitVarInsn(ALOAD, 0);
        mv.visitVarInsn(ILOAD, 1);
        mv.visitFieldInsn(PUTFIELD, owner, "maxBatch", "I");
        mv.visitVarInsn(ALOAD, 0);
        mv.visitTypeInsn(NEW, RNG);
        mv.visitInsn(DUP);
        mv.visitInsn(LCONST_0);
        mv.visitMethodInsn(INVOKESPECIAL, RNG, "<init>", "(J)V", false);
        mv.visitFieldInsn(PUTFIELD, owner, "rng", "L" + RNG + ";");
        if (layout.split()) {
            splitBuffers(mv, replica);
            mv.visitInsn(RETURN);
            mv.visitMaxs(0, 0);
            mv.visitEnd();
            return;
        }
        for (ClassPlan.Buffer b : plan.buffers()) {
            // a replica computes gradients only: it shares the parameters and never needs optimizer state
            if (replica && shared(b.name())) {
                shareBuffer(mv, b);
                continue;
            }
            org.objectweb.asm.Label allocated = new org.objectweb.asm.Label();
            if (replica && b.name().startsWith("g")) {
                org.objectweb.asm.Label own = new org.objectweb.asm.Label();
                mv.visitVarInsn(ILOAD, 3);
                mv.visitJumpInsn(IFEQ, own);
                shareBuffer(mv, b);
                mv.visitJumpInsn(GOTO, allocated);
                mv.visitLabel(own);
            }
            mv.visitVarInsn(ALOAD, 0);
            mv.visitLdcInsn(b.size());
            if (b.batched()) {
                mv.visitVarInsn(ILOAD, 1);
                mv.visitInsn(IMUL);
            }
            mv.visitIntInsn(NEWARRAY, plan.doublePrecision() ? T_DOUBLE : T_FLOAT);
            mv.visitFieldInsn(PUTFIELD, owner, b.name(), array);
            mv.visitLabel(allocated);
        }
        for (Loop.PackedWeight w : replica ? plan.packedWeights() : List.<Loop.PackedWeight>of()) {
            mv.visitVarInsn(ALOAD, 0);
            mv.visitVarInsn(ALOAD, 2);
            mv.visitFieldInsn(GETFIELD, owner, w.field(), array);
            mv.visitFieldInsn(PUTFIELD, owner, w.field(), array);
        }
        mv.visitInsn(RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** this.b = shared.b, with the shared instance in local 2. */
    private void shareBuffer(MethodVisitor mv, ClassPlan.Buffer b) {
        mv.visitVarInsn(ALOAD, 0);
        mv.visitVarInsn(ALOAD, 2);
        mv.visitFieldInsn(GETFIELD, owner, b.name(), array);
        mv.visitFieldInsn(PUTFIELD, owner, b.name(), array);
    }

    /** buffers = BufferTable.floats(LAYOUT, maxBatch, shared == null ? null : shared.buffers) (or doubles). */
    private void splitBuffers(MethodVisitor mv, boolean replica) {
        String buffers = "[" + array;
        mv.visitVarInsn(ALOAD, 0);
        mv.visitFieldInsn(GETSTATIC, owner, LAYOUT, "[I");
        mv.visitVarInsn(ILOAD, 1);
        if (replica) {
            mv.visitVarInsn(ALOAD, 2);
            mv.visitFieldInsn(GETFIELD, owner, Layout.BUFFERS, buffers);
        } else {
            mv.visitInsn(ACONST_NULL);
        }
        mv.visitMethodInsn(INVOKESTATIC, BUFFER_TABLE, plan.doublePrecision() ? "doubles" : "floats",
                "([II" + buffers + ")" + buffers, false);
        mv.visitFieldInsn(PUTFIELD, owner, Layout.BUFFERS, buffers);
    }

    /** A kernel: a private method of the model class, or (split) a static method of its kernel class. */
    private void kernel(ClassWriter writer, Loop.Function f) {
        MethodVisitor mv = layout.split() ? writer.visitMethod(ACC_STATIC, f.name(), layout.kernelDescriptor(), null, null)
                : writer.visitMethod(ACC_PRIVATE, f.name(), "(I)V", null, null);
        mv.visitCode();
        new LoopEmitter(mv, owner, plan.helperClassName(), element, scalars, layout).emit(f.body());
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    private void kernel(Loop.Function f) {
        kernel(cw, f);
    }

    /** Kernel class k of the split layout: its kernels, and the runners of the sequences' pieces that are its own. */
    private byte[] kernelClass(int k) {
        ClassWriter writer = writer();
        String name = layout.kernelClassName(k);
        writer.visit(V17, ACC_FINAL | ACC_SUPER, name, null, "java/lang/Object", null);
        writer.visitSource(owner.substring(owner.lastIndexOf('/') + 1) + ".nn", null);
        for (Loop.Function f : plan.kernels()) {
            if (layout.kernelClass(f.name()) == k) kernel(writer, f);
        }
        for (Layout.Runner r : layout.runnersOf(k)) {
            MethodVisitor mv = writer.visitMethod(ACC_STATIC, r.name(), layout.kernelDescriptor(), null, null);
            mv.visitCode();
            for (String kernel : r.kernels()) {
                mv.visitVarInsn(ALOAD, 0);
                mv.visitVarInsn(ILOAD, 1);
                mv.visitMethodInsn(INVOKESTATIC, name, kernel, layout.kernelDescriptor(), false);
            }
            mv.visitInsn(RETURN);
            mv.visitMaxs(0, 0);
            mv.visitEnd();
        }
        writer.visitEnd();
        return writer.toByteArray();
    }

    private void callKernels(MethodVisitor mv, List<String> kernels, int rowsSlot) {
        layout.callKernels(mv, kernels, rowsSlot);
    }

    /** this.k(rows) for each kernel k; rows is 0 when {@code rowsSlot} is negative. */
    static void callKernels(MethodVisitor mv, String owner, List<String> kernels, int rowsSlot) {
        for (String k : kernels) {
            mv.visitVarInsn(ALOAD, 0);
            if (rowsSlot < 0) mv.visitInsn(ICONST_0);
            else mv.visitVarInsn(ILOAD, rowsSlot);
            mv.visitMethodInsn(INVOKESPECIAL, owner, k, "(I)V", false);
        }
    }

    /**
     * Stores the batch arrays, runs the kernels, returns the loss or the output buffer.
     * Means are over n rows, or over the last int argument when there is one (a part of a batch).
     */
    private void runMethod(String name, String descriptor, List<String> kernels, boolean withTarget, String output) {
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, name, descriptor, null, null);
        mv.visitCode();
        int rowsSlot = withTarget ? 3 : 2;
        mv.visitVarInsn(ALOAD, 0);
        mv.visitVarInsn(ILOAD, descriptor.contains("II)") ? rowsSlot + 1 : rowsSlot);
        mv.visitInsn(I2D);
        mv.visitFieldInsn(PUTFIELD, owner, "batch", "D");
        mv.visitVarInsn(ALOAD, 0);
        mv.visitVarInsn(ALOAD, 1);
        mv.visitFieldInsn(PUTFIELD, owner, "x", array);
        int rows = 2;
        if (withTarget) {
            mv.visitVarInsn(ALOAD, 0);
            mv.visitVarInsn(ALOAD, 2);
            mv.visitFieldInsn(PUTFIELD, owner, "y", array);
            rows = 3;
        }
        callKernels(mv, kernels, rows);
        if (output != null) {
            layout.loadArray(mv, output);
            mv.visitInsn(ARETURN);
        } else {
            mv.visitVarInsn(ALOAD, 0);
            mv.visitFieldInsn(GETFIELD, owner, "loss", "D");
            mv.visitInsn(DRETURN);
        }
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** gradients(x, y, n) = gradients(x, y, n, n). */
    private void gradientsOfWholeBatch() {
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, "gradients", "(" + array + array + "I)D", null, null);
        mv.visitCode();
        mv.visitVarInsn(ALOAD, 0);
        mv.visitVarInsn(ALOAD, 1);
        mv.visitVarInsn(ALOAD, 2);
        mv.visitVarInsn(ILOAD, 3);
        mv.visitVarInsn(ILOAD, 3);
        mv.visitMethodInsn(INVOKEVIRTUAL, owner, "gradients", "(" + array + array + "II)D", false);
        mv.visitInsn(DRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /**
     * replica(maxBatch): a new instance with its own buffers and these parameters; and
     * (but in the split layout) replicaSharingGradients(maxBatch), whose gradients are
     * these too.
     */
    private void replica() {
        replica("replica", false);
        if (!layout.split()) replica("replicaSharingGradients", true);
    }

    private void replica(String name, boolean sharingGradients) {
        String returns = plan.doublePrecision() ? "L" + owner + ";" : "L" + NETWORK + ";";
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, name, "(I)" + returns, null, null);
        mv.visitCode();
        mv.visitTypeInsn(NEW, owner);
        mv.visitInsn(DUP);
        mv.visitVarInsn(ILOAD, 1);
        mv.visitVarInsn(ALOAD, 0);
        mv.visitInsn(sharingGradients ? ICONST_1 : ICONST_0);
        mv.visitMethodInsn(INVOKESPECIAL, owner, "<init>", replicaConstructor(), false);
        mv.visitInsn(ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    private void trainStep() {
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, "trainStep", "(" + array + array + "ID)D", null, null);
        mv.visitCode();
        mv.visitVarInsn(ALOAD, 0);
        mv.visitVarInsn(ALOAD, 1);
        mv.visitVarInsn(ALOAD, 2);
        mv.visitVarInsn(ILOAD, 3);
        mv.visitMethodInsn(INVOKEVIRTUAL, owner, "gradients", "(" + array + array + "I)D", false);
        mv.visitVarInsn(DSTORE, 6);
        mv.visitVarInsn(ALOAD, 0);
        mv.visitVarInsn(DLOAD, 4);
        mv.visitMethodInsn(INVOKEVIRTUAL, owner, "update", "(D)V", false);
        mv.visitVarInsn(DLOAD, 6);
        mv.visitVarInsn(ALOAD, 0);
        mv.visitFieldInsn(GETFIELD, owner, "penalty", "D");
        mv.visitInsn(DADD);
        mv.visitInsn(DRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }


    /**
     * A new array of the named array fields: the parameters p0, p1, ..., their gradients,
     * the relu outputs; in the split layout, the buffers at the positions of a table.
     */
    private void arrays(String name, String table, List<String> fields) {
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, name, "()[" + array, null, null);
        mv.visitCode();
        if (layout.split()) {
            mv.visitVarInsn(ALOAD, 0);
            mv.visitFieldInsn(GETFIELD, owner, Layout.BUFFERS, "[" + array);
            mv.visitFieldInsn(GETSTATIC, owner, table, "[I");
            mv.visitMethodInsn(INVOKESTATIC, BUFFER_TABLE, "select", "([Ljava/lang/Object;[I)[Ljava/lang/Object;", false);
            mv.visitTypeInsn(CHECKCAST, "[" + array);
            mv.visitInsn(ARETURN);
            mv.visitMaxs(0, 0);
            mv.visitEnd();
            return;
        }
        mv.visitLdcInsn(fields.size());
        mv.visitTypeInsn(ANEWARRAY, array);
        for (int i = 0; i < fields.size(); i++) {
            mv.visitInsn(DUP);
            mv.visitLdcInsn(i);
            mv.visitVarInsn(ALOAD, 0);
            mv.visitFieldInsn(GETFIELD, owner, fields.get(i), array);
            mv.visitInsn(AASTORE);
        }
        mv.visitInsn(ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** The optimizer's state arrays (s*: momentum, Adam's moments), in buffer order. */
    private List<String> optimizerStateFields() {
        return plan.buffers().stream().map(ClassPlan.Buffer::name).filter(name -> name.startsWith("s")).toList();
    }

    /** Zeroes every optimizer state array (s*) and the step. */
    private void resetOptimizer() {
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, "resetOptimizer", "()V", null, null);
        mv.visitCode();
        if (layout.split()) {
            mv.visitVarInsn(ALOAD, 0);
            mv.visitFieldInsn(GETFIELD, owner, Layout.BUFFERS, "[" + array);
            mv.visitFieldInsn(GETSTATIC, owner, STATES, "[I");
            mv.visitMethodInsn(INVOKESTATIC, BUFFER_TABLE, "zero", "([Ljava/lang/Object;[I)V", false);
        }
        for (String state : layout.split() ? List.<String>of() : optimizerStateFields()) {
            mv.visitVarInsn(ALOAD, 0);
            mv.visitFieldInsn(GETFIELD, owner, state, array);
            if (plan.doublePrecision()) {
                mv.visitInsn(DCONST_0);
                mv.visitMethodInsn(INVOKESTATIC, "java/util/Arrays", "fill", "([DD)V", false);
            } else {
                mv.visitInsn(FCONST_0);
                mv.visitMethodInsn(INVOKESTATIC, "java/util/Arrays", "fill", "([FF)V", false);
            }
        }
        mv.visitVarInsn(ALOAD, 0);
        mv.visitInsn(DCONST_0);
        mv.visitFieldInsn(PUTFIELD, owner, "step", "D");
        mv.visitInsn(RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** maxBatch(), predictionRowFloats(), penalty(), seed(long), random(), optimizerSteps() and its setter. */
    private void simple() {
        fieldGetter("maxBatch", "maxBatch", Type.INT_TYPE);
        fieldGetter("penalty", "penalty", Type.DOUBLE_TYPE);
        fieldGetter("random", "rng", Type.getObjectType(RNG));
        fieldGetter("optimizerSteps", "step", Type.DOUBLE_TYPE);

        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, "predictionRowFloats", "()I", null, null);
        mv.visitCode();
        mv.visitLdcInsn(plan.predictionRowFloats());
        mv.visitInsn(IRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();

        mv = cw.visitMethod(ACC_PUBLIC, "seed", "(J)V", null, null);
        mv.visitCode();
        mv.visitVarInsn(ALOAD, 0);
        mv.visitFieldInsn(GETFIELD, owner, "rng", "L" + RNG + ";");
        mv.visitVarInsn(LLOAD, 1);
        mv.visitMethodInsn(INVOKEVIRTUAL, RNG, "setSeed", "(J)V", false);
        mv.visitInsn(RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();

        mv = cw.visitMethod(ACC_PUBLIC, "optimizerSteps", "(D)V", null, null);
        mv.visitCode();
        mv.visitVarInsn(ALOAD, 0);
        mv.visitVarInsn(DLOAD, 1);
        mv.visitFieldInsn(PUTFIELD, owner, "step", "D");
        mv.visitInsn(RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** A method that returns a buffer. */
    private void arrayGetter(String method, String buffer) {
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, method, "()" + array, null, null);
        mv.visitCode();
        layout.loadArray(mv, buffer);
        mv.visitInsn(ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** A method that returns a field of this class. */
    private void fieldGetter(String method, String field, Type type) {
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, method, "()" + type.getDescriptor(), null, null);
        mv.visitCode();
        mv.visitVarInsn(ALOAD, 0);
        mv.visitFieldInsn(GETFIELD, owner, field, type.getDescriptor());
        mv.visitInsn(type.getOpcode(IRETURN));
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }
}
