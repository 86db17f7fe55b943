package dev.nnc.compiler.emit;

import dev.nnc.compiler.loop.Loop.PackedWeight;
import dev.nnc.compiler.loop.VectorLoop;
import dev.nnc.compiler.loop.VectorMatMul;
import dev.nnc.compiler.source.CompilerBug;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

import java.util.List;

import static org.objectweb.asm.Opcodes.*;

/**
 * The helper class of a model's Vector API matrix products, kept apart so that the
 * model class loads and runs its scalar loops on a JVM without jdk.incubator.vector.
 * Each product is a loop over register tiles: 8 rows by 2 columns of dot-product
 * accumulators, or 8 rows by 3 vectors of axpy accumulators, with scalar edges; a dot
 * product's whole blocks of 32 rows take the broadcast form of {@link BlockDotEmitter}
 * instead on 512-bit vectors, and a dot product of at most 16 inputs its narrow form. Eight
 * rows because the other operand (a layer's weights, 800 KB in the Fashion-MNIST MLP's
 * first) streams from the second-level cache once per tile of rows: the training pass
 * (JMH KernelBenchmark.gradients, 2026-11-27, two JVMs each, interleaved) took 481-554
 * us for 32 rows and 1001-1046 us for 64 with tiles of 4 rows by 2 columns or 4
 * vectors, 420-432 and 813-823 with 8 by 2 and 8 by 3 (8 by 3 columns: 440-445; 8 by
 * 2 vectors: about the same as 3). A tile never changes an element's arithmetic: each
 * accumulator sums its own element over k in order. Larger tiles in one method can make
 * the method so big that C2 keeps its vectors boxed for thousands of steps (4 by 4 dot
 * products once allocated 10-20 KB a step in bench/compare's 4,000); with these,
 * a warm step allocates nothing.
 */
public final class VectorKernelEmitter {
    static final String VECTOR = "jdk/incubator/vector/FloatVector";
    static final String VECTOR_DESC = "L" + VECTOR + ";";
    static final String SPECIES_DESC = "Ljdk/incubator/vector/VectorSpecies;";
    static final String ROOT_VECTOR_DESC = "Ljdk/incubator/vector/Vector;";
    /** Rows of c one call computes: the caller loops over blocks (see {@link #MATMUL_DESCRIPTOR}). */
    public static final int TILE_ROWS = 8;
    /**
     * {@code (a, b, c, work, rows, first)}: a dot product's rows [first, first +
     * VectorMatMul.BLOCK_ROWS) of c, with its work array (see {@link BlockDotEmitter}).
     */
    public static final String DOT_DESCRIPTOR = "([F[F[F[FII)V";

    /**
     * {@code (a, b, c, rows, first)}: rows [first, first + TILE_ROWS) of c. Many short calls
     * rather than one long one, so that the JIT compiles these methods whole: a loop
     * compiled on stack replacement keeps its vectors boxed in JDK 17 (measured: 2.8 MB
     * allocated per training step of the Fashion-MNIST network, against under 1 KB).
     */
    public static final String MATMUL_DESCRIPTOR = "([F[F[FII)V";
    private static final int FIRST = 4;
    private static final int TILE_COLUMNS = 2;
    private static final int AXPY_VECTORS = 3;

    private final String owner;
    private MethodVisitor mv;
    private int nextLocal;

    private VectorKernelEmitter(String owner) {
        this.owner = owner;
    }

    public static byte[] emit(String helperName, List<VectorMatMul> kernels, List<VectorLoop> loops, List<PackedWeight> tall) {
        try {
            return new VectorKernelEmitter(helperName).emitClass(kernels, loops, tall);
        } catch (org.objectweb.asm.MethodTooLargeException | org.objectweb.asm.ClassTooLargeException e) {
            throw ClassEmitter.tooLarge(e);
        }
    }

    private byte[] emitClass(List<VectorMatMul> kernels, List<VectorLoop> loops, List<PackedWeight> tall) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS) {
            @Override
            protected String getCommonSuperClass(String a, String b) {
                return "java/lang/Object";
            }
        };
        cw.visit(V17, ACC_PUBLIC | ACC_FINAL | ACC_SUPER, owner, null, "java/lang/Object", null);
        cw.visitField(ACC_STATIC | ACC_FINAL | ACC_PRIVATE, "S", SPECIES_DESC, null, null).visitEnd();
        cw.visitField(ACC_STATIC | ACC_FINAL | ACC_PRIVATE, "L", "I", null, null).visitEnd();
        mv = cw.visitMethod(ACC_STATIC, "<clinit>", "()V", null, null);
        mv.visitCode();
        mv.visitFieldInsn(GETSTATIC, VECTOR, "SPECIES_PREFERRED", SPECIES_DESC);
        mv.visitInsn(DUP);
        mv.visitFieldInsn(PUTSTATIC, owner, "S", SPECIES_DESC);
        mv.visitMethodInsn(INVOKEINTERFACE, "jdk/incubator/vector/VectorSpecies", "length", "()I", true);
        mv.visitFieldInsn(PUTSTATIC, owner, "L", "I");
        for (VectorMatMul k : kernels) if (k.dot()) BlockDotEmitter.initializeFields(cw, mv, owner, k);
        mv.visitInsn(RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, "lanes", "()I", null, null);
        mv.visitCode();
        lanes();
        mv.visitInsn(IRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        for (VectorMatMul k : kernels) {
            mv = cw.visitMethod(k.dot() ? ACC_PRIVATE | ACC_STATIC : ACC_PUBLIC | ACC_STATIC,
                    k.dot() ? k.name() + "_rows" : k.name(), MATMUL_DESCRIPTOR, null, null);
            mv.visitCode();
            nextLocal = 5;
            if (k.dot()) dot(k);
            else axpy(k);
            mv.visitInsn(RETURN);
            mv.visitMaxs(0, 0);
            mv.visitEnd();
            if (k.dot()) new BlockDotEmitter(cw, owner, k).emit();
        }
        for (PackedWeight w : tall) new TallTileEmitter(cw, owner, w).emit();
        for (VectorLoop loop : loops) {
            mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, loop.name(), loop.descriptor(), null, null);
            mv.visitCode();
            new VectorLoopWriter(mv, owner, loop).write();
            mv.visitMaxs(0, 0);
            mv.visitEnd();
        }
        cw.visitEnd();
        return cw.toByteArray();
    }

    // ---- small helpers over locals, constants and loops ----

    private static final int A = 0;
    private static final int B = 1;
    private static final int C = 2;
    private static final int ROWS = 3;

    private int local(int slots) {
        int l = nextLocal;
        nextLocal += slots;
        return l;
    }

    private void push(int v) {
        push(mv, v);
    }

    /**
     * Replaces the vector on the stack by the sum of its lanes in lane order, the same bits
     * interpreted or compiled: {@code reduceLanes(ADD)} where the JDK adds in that order,
     * else {@code VectorMath.sumLaneByLane} (see {@link dev.nnc.runtime.vector.VectorMath}).
     * The flag is a constant to the JIT, so JDK 17 compiles the reduction alone, as before:
     * a call that C2 leaves out of line boxes its vector argument.
     */
    static void sumLanes(MethodVisitor mv) {
        String math = "dev/nnc/runtime/vector/VectorMath";
        Label laneByLane = new Label();
        Label done = new Label();
        mv.visitFieldInsn(GETSTATIC, math, "IN_ORDER_REDUCTION", "Z");
        mv.visitJumpInsn(IFEQ, laneByLane);
        mv.visitFieldInsn(GETSTATIC, "jdk/incubator/vector/VectorOperators", "ADD",
                "Ljdk/incubator/vector/VectorOperators$Associative;");
        mv.visitMethodInsn(INVOKEVIRTUAL, VECTOR, "reduceLanes", "(Ljdk/incubator/vector/VectorOperators$Associative;)F", false);
        mv.visitJumpInsn(GOTO, done);
        mv.visitLabel(laneByLane);
        mv.visitMethodInsn(INVOKESTATIC, math, "sumLaneByLane", "(" + VECTOR_DESC + ")F", false);
        mv.visitLabel(done);
    }

    /** Pushes an int constant in its shortest instruction. */
    static void push(MethodVisitor mv, int v) {
        if (v >= -1 && v <= 5) mv.visitInsn(ICONST_0 + v);
        else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) mv.visitIntInsn(BIPUSH, v);
        else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) mv.visitIntInsn(SIPUSH, v);
        else mv.visitLdcInsn(v);
    }

    /** Pushes a dimension: a constant, or the rows argument for the batch. */
    private void dim(int d) {
        if (d < 0) mv.visitVarInsn(ILOAD, ROWS);
        else push(d);
    }

    private void lanes() {
        mv.visitFieldInsn(GETSTATIC, owner, "L", "I");
    }

    private void species() {
        mv.visitFieldInsn(GETSTATIC, owner, "S", SPECIES_DESC);
    }

    private void zero() {
        zero(mv, owner);
    }

    /** Pushes FloatVector.zero(S), S the species field of the helper class {@code owner}. */
    static void zero(MethodVisitor mv, String owner) {
        mv.visitFieldInsn(GETSTATIC, owner, "S", SPECIES_DESC);
        mv.visitMethodInsn(INVOKESTATIC, VECTOR, "zero", "(" + SPECIES_DESC + ")" + VECTOR_DESC, false);
    }

    /**
     * Accumulators of a register tile, {@code rows} by {@code columns} vector locals from
     * {@code first} on, each set to FloatVector.zero(S); returns their locals.
     */
    static int[][] zeros(MethodVisitor mv, String owner, int rows, int columns, int first) {
        int[][] acc = new int[rows][columns];
        int next = first;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                acc[r][c] = next++;
                zero(mv, owner);
                mv.visitVarInsn(ASTORE, acc[r][c]);
            }
        }
        return acc;
    }

    /** fromArray(S, array, index) where index is on the stack after the call to emitIndex. */
    private void load(int array, Runnable index) {
        load(mv, owner, array, index);
    }

    /** Pushes fromArray(S, array, index), {@code index} pushing the int index. */
    static void load(MethodVisitor mv, String owner, int array, Runnable index) {
        mv.visitFieldInsn(GETSTATIC, owner, "S", SPECIES_DESC);
        mv.visitVarInsn(ALOAD, array);
        index.run();
        mv.visitMethodInsn(INVOKESTATIC, VECTOR, "fromArray", "(" + SPECIES_DESC + "[FI)" + VECTOR_DESC, false);
    }

    private void fma(int a, int b, int acc) {
        fma(mv, a, b, acc);
    }

    /** Pushes FloatVector.broadcast(S, array[index]), {@code index} pushing the int index. */
    static void broadcast(MethodVisitor mv, String owner, int array, Runnable index) {
        mv.visitFieldInsn(GETSTATIC, owner, "S", SPECIES_DESC);
        mv.visitVarInsn(ALOAD, array);
        index.run();
        mv.visitInsn(FALOAD);
        mv.visitMethodInsn(INVOKESTATIC, VECTOR, "broadcast", "(" + SPECIES_DESC + "F)" + VECTOR_DESC, false);
    }

    /** acc = a.fma(b, acc) for vector locals. */
    static void fma(MethodVisitor mv, int a, int b, int acc) {
        mv.visitVarInsn(ALOAD, a);
        mv.visitVarInsn(ALOAD, b);
        mv.visitVarInsn(ALOAD, acc);
        mv.visitMethodInsn(INVOKEVIRTUAL, VECTOR, "fma", "(" + ROOT_VECTOR_DESC + ROOT_VECTOR_DESC + ")" + VECTOR_DESC, false);
        mv.visitVarInsn(ASTORE, acc);
    }

    /** Pushes local * constant-or-rows + other ... as an int expression built by the caller. */
    private void mulAdd(int var, int factor, int plus) {
        mv.visitVarInsn(ILOAD, var);
        dim(factor);
        mv.visitInsn(IMUL);
        if (plus >= 0) {
            mv.visitVarInsn(ILOAD, plus);
            mv.visitInsn(IADD);
        }
    }

    private void addConstant(int offset) {
        if (offset != 0) {
            push(offset);
            mv.visitInsn(IADD);
        }
    }

    /**
     * while (var + step <= bound) { body; var += step } where bound is pushed by {@code
     * bound}, tested as {@code var < bound + 1 - step}: a loop variable against a limit
     * that does not change, which C2 compiles as a counted loop, its range checks hoisted
     * out and its safepoint poll moved to an outer loop. Tested on {@code var + step}, the
     * product loops over a batch's rows (whose bound is a variable) kept both in every
     * step: the first layer's weight gradient over 64 rows ran at 120-130 GFLOP/s by
     * itself, against 129-136 tested so (Intel Xeon, 2026-11-29, three JVMs each, interleaved).
     */
    private void loopWhile(int var, Runnable step, Runnable bound, Runnable body) {
        Label test = new Label();
        Label end = new Label();
        mv.visitLabel(test);
        mv.visitVarInsn(ILOAD, var);
        bound.run();
        push(1);
        mv.visitInsn(IADD);
        step.run();
        mv.visitInsn(ISUB);
        mv.visitJumpInsn(IF_ICMPGE, end);
        body.run();
        mv.visitVarInsn(ILOAD, var);
        step.run();
        mv.visitInsn(IADD);
        mv.visitVarInsn(ISTORE, var);
        mv.visitJumpInsn(GOTO, test);
        mv.visitLabel(end);
    }

    private Runnable constant(int v) {
        return () -> push(v);
    }

    private void setInt(int var, int value) {
        setInt(mv, var, value);
    }

    /** var = value, for an int local. */
    static void setInt(MethodVisitor mv, int var, int value) {
        push(mv, value);
        mv.visitVarInsn(ISTORE, var);
    }

    /** while (left < right) body, where {@code compare} pushes left and right. */
    static void whileLess(MethodVisitor mv, Runnable compare, Runnable body) {
        Label test = new Label();
        Label done = new Label();
        mv.visitLabel(test);
        compare.run();
        mv.visitJumpInsn(IF_ICMPGE, done);
        body.run();
        mv.visitJumpInsn(GOTO, test);
        mv.visitLabel(done);
    }

    // ---- dot form: c[i][j] = a[i][:] . b[j][:] ----

    private void dot(VectorMatMul k) {
        CompilerBug.check(k.k() >= 0 && k.n() >= 0, "dot product with a batch inner or column dimension: " + k);
        int i = local(1);
        int j = local(1);
        int kk = local(1);
        int kBound = local(1);
        // kBound = K - K % L: the part of each row that whole vectors cover
        push(k.k());
        push(k.k());
        lanes();
        mv.visitInsn(IREM);
        mv.visitInsn(ISUB);
        mv.visitVarInsn(ISTORE, kBound);
        forBlock(k, i, rows -> {
            setInt(j, 0);
            loopWhile(j, constant(TILE_COLUMNS), constant(k.n()), () -> dotTile(k, rows, TILE_COLUMNS, i, j, kk, kBound));
            loopWhile(j, constant(1), constant(k.n()), () -> dotTile(k, rows, 1, i, j, kk, kBound));
        });
    }

    /**
     * The rows of this call's block: one tile of TILE_ROWS when the block is whole,
     * else single rows up to the end of c.
     */
    private void forBlock(VectorMatMul k, int i, java.util.function.IntConsumer body) {
        Label partial = new Label();
        Label end = new Label();
        mv.visitVarInsn(ILOAD, FIRST);
        mv.visitVarInsn(ISTORE, i);
        mv.visitVarInsn(ILOAD, i);
        push(TILE_ROWS);
        mv.visitInsn(IADD);
        dim(k.m());
        mv.visitJumpInsn(IF_ICMPGT, partial);
        body.accept(TILE_ROWS);
        mv.visitJumpInsn(GOTO, end);
        mv.visitLabel(partial);
        loopWhile(i, constant(1), () -> dim(k.m()), () -> body.accept(1));
        mv.visitLabel(end);
    }

    private void dotTile(VectorMatMul k, int rows, int cols, int i, int j, int kk, int kBound) {
        int[][] acc = new int[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                acc[r][c] = local(1);
                zero();
                mv.visitVarInsn(ASTORE, acc[r][c]);
            }
        }
        int[] a = new int[rows];
        int[] b = new int[cols];
        for (int r = 0; r < rows; r++) a[r] = local(1);
        for (int c = 0; c < cols; c++) b[c] = local(1);
        setInt(kk, 0);
        loopWhile(kk, this::lanes, () -> mv.visitVarInsn(ILOAD, kBound), () -> {
            for (int r = 0; r < rows; r++) {
                int row = r;
                load(A, () -> { rowStart(i, row, k.k()); mv.visitVarInsn(ILOAD, kk); mv.visitInsn(IADD); });
                mv.visitVarInsn(ASTORE, a[r]);
            }
            for (int c = 0; c < cols; c++) {
                int col = c;
                load(B, () -> { rowStart(j, col, k.k()); mv.visitVarInsn(ILOAD, kk); mv.visitInsn(IADD); });
                mv.visitVarInsn(ASTORE, b[c]);
            }
            for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) fma(a[r], b[c], acc[r][c]);
        });
        int sum = local(1);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                // sum = kBound > 0 ? the sum of acc's lanes : 0 (rows shorter than a vector skip the
                // reduction; kBound is a constant to the JIT, so the test costs nothing)
                Label none = new Label();
                Label reduced = new Label();
                mv.visitVarInsn(ILOAD, kBound);
                mv.visitJumpInsn(IFLE, none);
                mv.visitVarInsn(ALOAD, acc[r][c]);
                sumLanes(mv);
                mv.visitJumpInsn(GOTO, reduced);
                mv.visitLabel(none);
                mv.visitInsn(FCONST_0);
                mv.visitLabel(reduced);
                mv.visitVarInsn(FSTORE, sum);
                // the scalar tail of k
                int t = local(1);
                mv.visitVarInsn(ILOAD, kBound);
                mv.visitVarInsn(ISTORE, t);
                int row = r;
                int col = c;
                loopWhile(t, constant(1), constant(k.k()), () -> {
                    mv.visitVarInsn(FLOAD, sum);
                    mv.visitVarInsn(ALOAD, A);
                    rowStart(i, row, k.k());
                    mv.visitVarInsn(ILOAD, t);
                    mv.visitInsn(IADD);
                    mv.visitInsn(FALOAD);
                    mv.visitVarInsn(ALOAD, B);
                    rowStart(j, col, k.k());
                    mv.visitVarInsn(ILOAD, t);
                    mv.visitInsn(IADD);
                    mv.visitInsn(FALOAD);
                    mv.visitInsn(FMUL);
                    mv.visitInsn(FADD);
                    mv.visitVarInsn(FSTORE, sum);
                });
                mv.visitVarInsn(ALOAD, C);
                mv.visitVarInsn(ILOAD, i);
                addConstant(r);
                push(k.n());
                mv.visitInsn(IMUL);
                mv.visitVarInsn(ILOAD, j);
                mv.visitInsn(IADD);
                addConstant(c);
                mv.visitVarInsn(FLOAD, sum);
                mv.visitInsn(FASTORE);
            }
        }
    }

    /** Pushes (var + offset) * width. */
    private void rowStart(int var, int offset, int width) {
        mv.visitVarInsn(ILOAD, var);
        addConstant(offset);
        dim(width);
        mv.visitInsn(IMUL);
    }

    // ---- axpy form: c[i][:] = sum_k a(i, k) b[k][:] ----

    private void axpy(VectorMatMul k) {
        CompilerBug.check(k.n() >= 0, "axpy product with batch columns: " + k);
        int i = local(1);
        int j = local(1);
        int kk = local(1);
        forBlock(k, i, rows -> {
            setInt(j, 0);
            for (int vectors : new int[]{AXPY_VECTORS, 1}) {
                loopWhile(j, () -> { lanes(); push(vectors); mv.visitInsn(IMUL); }, constant(k.n()),
                        () -> axpyTile(k, rows, vectors, i, j, kk));
            }
            loopWhile(j, constant(1), constant(k.n()), () -> axpyColumn(k, rows, i, j, kk));
        });
    }

    /** Pushes a(i + r, kk). */
    private void aElement(VectorMatMul k, int i, int r, int kk) {
        mv.visitVarInsn(ALOAD, A);
        if (k.transposeA()) {
            mv.visitVarInsn(ILOAD, kk);
            dim(k.m());
            mv.visitInsn(IMUL);
            mv.visitVarInsn(ILOAD, i);
            mv.visitInsn(IADD);
            addConstant(r);
        } else {
            rowStart(i, r, k.k());
            mv.visitVarInsn(ILOAD, kk);
            mv.visitInsn(IADD);
        }
        mv.visitInsn(FALOAD);
    }

    private void axpyTile(VectorMatMul k, int rows, int vectors, int i, int j, int kk) {
        int[][] acc = new int[rows][vectors];
        for (int r = 0; r < rows; r++) {
            for (int v = 0; v < vectors; v++) {
                acc[r][v] = local(1);
                zero();
                mv.visitVarInsn(ASTORE, acc[r][v]);
            }
        }
        int[] b = new int[vectors];
        for (int v = 0; v < vectors; v++) b[v] = local(1);
        int a = local(1);
        setInt(kk, 0);
        loopWhile(kk, constant(1), () -> dim(k.k()), () -> {
            for (int v = 0; v < vectors; v++) {
                int vector = v;
                load(B, () -> { mulAdd(kk, k.n(), j); vectorOffset(vector); });
                mv.visitVarInsn(ASTORE, b[v]);
            }
            for (int r = 0; r < rows; r++) {
                species();
                aElement(k, i, r, kk);
                mv.visitMethodInsn(INVOKESTATIC, VECTOR, "broadcast", "(" + SPECIES_DESC + "F)" + VECTOR_DESC, false);
                mv.visitVarInsn(ASTORE, a);
                for (int v = 0; v < vectors; v++) fma(a, b[v], acc[r][v]);
            }
        });
        for (int r = 0; r < rows; r++) {
            for (int v = 0; v < vectors; v++) {
                mv.visitVarInsn(ALOAD, acc[r][v]);
                mv.visitVarInsn(ALOAD, C);
                rowStart(i, r, k.n());
                mv.visitVarInsn(ILOAD, j);
                mv.visitInsn(IADD);
                vectorOffset(v);
                mv.visitMethodInsn(INVOKEVIRTUAL, VECTOR, "intoArray", "([FI)V", false);
            }
        }
    }

    /** Adds v * L to the int on the stack. */
    private void vectorOffset(int v) {
        if (v == 0) return;
        lanes();
        push(v);
        mv.visitInsn(IMUL);
        mv.visitInsn(IADD);
    }

    /** One column j of `rows` rows, in scalar code: the edge the vectors do not cover. */
    private void axpyColumn(VectorMatMul k, int rows, int i, int j, int kk) {
        int sum = local(1);
        for (int r = 0; r < rows; r++) {
            mv.visitInsn(FCONST_0);
            mv.visitVarInsn(FSTORE, sum);
            setInt(kk, 0);
            int row = r;
            loopWhile(kk, constant(1), () -> dim(k.k()), () -> {
                mv.visitVarInsn(FLOAD, sum);
                aElement(k, i, row, kk);
                mv.visitVarInsn(ALOAD, B);
                mulAdd(kk, k.n(), j);
                mv.visitInsn(FALOAD);
                mv.visitInsn(FMUL);
                mv.visitInsn(FADD);
                mv.visitVarInsn(FSTORE, sum);
            });
            mv.visitVarInsn(ALOAD, C);
            rowStart(i, r, k.n());
            mv.visitVarInsn(ILOAD, j);
            mv.visitInsn(IADD);
            mv.visitVarInsn(FLOAD, sum);
            mv.visitInsn(FASTORE);
        }
    }
}
