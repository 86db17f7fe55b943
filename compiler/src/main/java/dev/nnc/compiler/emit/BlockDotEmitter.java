package dev.nnc.compiler.emit;

import dev.nnc.compiler.loop.VectorMatMul;
import dev.nnc.compiler.source.CompilerBug;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

import java.util.ArrayList;
import java.util.List;

import static dev.nnc.compiler.emit.VectorKernelEmitter.*;
import static org.objectweb.asm.Opcodes.*;

/**
 * A dot product c[i][j] = a[i][:] · b[j][:] (a dense layer's forward product: b is its
 * weights, [n][k]) on whole blocks of 32 rows of a, in the broadcast form of a GEMM
 * micro-kernel. The block's rows are first laid out transposed in the work array (two
 * gathers of 16 rows per step of k), so that one step of k of all 32 rows is two
 * vectors; a tile of 12 outputs j then broadcasts b[j][kk] against them: 24
 * accumulators, 2 vector loads and 12 scalar broadcasts per 24 FMAs, and each weight
 * read once per block. The accumulators are scattered into c's 32 rows at the end.
 *
 * <p>The dot form it replaces loads a vector of every row and of every column at each
 * step (10 loads per 16 FMAs, most of them straddling two cache lines) and reduces each
 * element across lanes at the end. On the Fashion-MNIST MLP's first layer, 32 rows by
 * 784 inputs by 256 outputs (one core, JDK 17, 2026-11-28): 152-184 us in the dot form,
 * 90-92 us in this one, gathers and scatters included (about 140 GFLOP/s).
 *
 * <p>A product of at most 16 inputs with outputs in whole vectors (a small network's
 * first layer) takes the narrow form instead, on any rows: see {@link #narrowRows}.
 *
 * <p>Each element of c is one chain of FMAs over k in order, whatever the tile or form.
 * Rows past the last whole block, and machines without 512-bit vectors (the gather and
 * the scatter need AVX-512 to be fast), take the dot form, {@code name_rows}.
 */
final class BlockDotEmitter {
    private static final int LANES = 16;
    private static final int BLOCK = VectorMatMul.BLOCK_ROWS;
    private static final String INDEX_MAP = "[I";
    private static final String TILE_DESCRIPTOR = "([F[F[FII)V";
    private static final String BLOCK_DESCRIPTOR = "([F[F[F[FI)V";

    private final ClassWriter cw;
    private final String owner;
    private final VectorMatMul k;
    private MethodVisitor mv;

    BlockDotEmitter(ClassWriter cw, String owner, VectorMatMul k) {
        CompilerBug.check(k.dot() && k.k() >= 0 && k.n() >= 0, "block dot product over batch dimensions: " + k);
        CompilerBug.check(BLOCK == 2 * LANES, "a block is two vectors of rows");
        this.cw = cw;
        this.owner = owner;
        this.k = k;
    }

    /** Whether the block form applies: every index of a block fits in an int. */
    private static boolean blocks(VectorMatMul k) {
        return (long) k.k() * BLOCK <= Integer.MAX_VALUE && (long) k.n() * BLOCK <= Integer.MAX_VALUE;
    }

    /** Outputs per tile, widest first: those the product's n needs. */
    private static List<Integer> tiles(int n) {
        List<Integer> tiles = new ArrayList<>();
        int left = n;
        for (int width : new int[]{12, 4, 1}) {
            if (left >= width) tiles.add(width);
            left %= width;
        }
        return tiles;
    }

    /**
     * In the helper's static initializer: the index maps of the gathers and scatters,
     * {@code name_aRows = {0, k, 2k, ...}} (16 rows of a, or of b) and {@code name_cRows} (of c).
     */
    static void initializeFields(ClassWriter cw, MethodVisitor clinit, String owner, VectorMatMul k) {
        if (!blocks(k)) return;
        indexMap(cw, clinit, owner, k.name() + "_aRows", k.k());
        indexMap(cw, clinit, owner, k.name() + "_cRows", k.n());
    }

    private static void indexMap(ClassWriter cw, MethodVisitor mv, String owner, String field, int stride) {
        cw.visitField(ACC_PRIVATE | ACC_STATIC | ACC_FINAL, field, INDEX_MAP, null, null).visitEnd();
        push(mv, LANES);
        mv.visitIntInsn(NEWARRAY, T_INT);
        for (int i = 0; i < LANES; i++) {
            mv.visitInsn(DUP);
            push(mv, i);
            push(mv, i * stride);
            mv.visitInsn(IASTORE);
        }
        mv.visitFieldInsn(PUTSTATIC, owner, field, INDEX_MAP);
    }

    /**
     * Whether the product takes the narrow form instead: at most one vector of inputs per
     * row (the first layer of a small network), outputs in whole vectors.
     */
    private static boolean narrow(VectorMatMul k) {
        return blocks(k) && k.k() <= LANES && k.n() % LANES == 0;
    }

    void emit() {
        dispatch();
        if (!blocks(k)) return;
        if (narrow(k)) {
            narrowRows();
            return;
        }
        block();
        for (int width : tiles(k.n())) tile(width);
    }

    // ---- name(a, b, c, work, rows, first): the block form for a whole block, else the dot form's tiles ----

    private void dispatch() {
        mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, k.name(), DOT_DESCRIPTOR, null, null);
        mv.visitCode();
        int rows = 4, first = 5, end = 6, at = 7;
        Label dotForm = new Label();
        if (narrow(k)) {
            // if (L == 16) { name_narrow(a, b, c, rows, first); return; }
            mv.visitFieldInsn(GETSTATIC, owner, "L", "I");
            push(mv, LANES);
            mv.visitJumpInsn(IF_ICMPNE, dotForm);
            for (int array = 0; array < 3; array++) mv.visitVarInsn(ALOAD, array);
            mv.visitVarInsn(ILOAD, rows);
            mv.visitVarInsn(ILOAD, first);
            mv.visitMethodInsn(INVOKESTATIC, owner, k.name() + "_narrow", MATMUL_DESCRIPTOR, false);
            mv.visitInsn(RETURN);
        } else if (blocks(k)) {
            // if (L == 16 && first + 32 <= m) { name_block(a, b, c, work, first); return; }
            mv.visitFieldInsn(GETSTATIC, owner, "L", "I");
            push(mv, LANES);
            mv.visitJumpInsn(IF_ICMPNE, dotForm);
            mv.visitVarInsn(ILOAD, first);
            push(mv, BLOCK);
            mv.visitInsn(IADD);
            m(rows);
            mv.visitJumpInsn(IF_ICMPGT, dotForm);
            for (int array = 0; array < 4; array++) mv.visitVarInsn(ALOAD, array);
            mv.visitVarInsn(ILOAD, first);
            mv.visitMethodInsn(INVOKESTATIC, owner, k.name() + "_block", BLOCK_DESCRIPTOR, false);
            mv.visitInsn(RETURN);
        }
        // for (at = first, end = min(first + 32, m); at < end; at += 8) name_rows(a, b, c, rows, at)
        mv.visitLabel(dotForm);
        blockEnd(rows, first, end);
        mv.visitVarInsn(ILOAD, first);
        mv.visitVarInsn(ISTORE, at);
        loop(() -> {
            mv.visitVarInsn(ILOAD, at);
            mv.visitVarInsn(ILOAD, end);
        }, () -> {
            for (int array = 0; array < 3; array++) mv.visitVarInsn(ALOAD, array);
            mv.visitVarInsn(ILOAD, rows);
            mv.visitVarInsn(ILOAD, at);
            mv.visitMethodInsn(INVOKESTATIC, owner, k.name() + "_rows", MATMUL_DESCRIPTOR, false);
            mv.visitIincInsn(at, TILE_ROWS);
        });
        finish();
    }

    /** Pushes the rows of a and c: the constant m, or the batch's rows in local {@code rows}. */
    private void m(int rows) {
        if (k.m() < 0) mv.visitVarInsn(ILOAD, rows);
        else push(mv, k.m());
    }

    /** end = min(first + 32, m): where the rows of a call starting at {@code first} end. */
    private void blockEnd(int rows, int first, int end) {
        mv.visitVarInsn(ILOAD, first);
        push(mv, BLOCK);
        mv.visitInsn(IADD);
        m(rows);
        mv.visitMethodInsn(INVOKESTATIC, "java/lang/Math", "min", "(II)I", false);
        mv.visitVarInsn(ISTORE, end);
    }

    // ---- name_narrow(a, b, c, rows, first): k <= 16; 16 outputs at a time, their weights gathered once ----

    /**
     * Rows [first, min(first + 32, m)) of c. For each 16 outputs, the weights' k columns
     * are gathered into k vectors once; each row then broadcasts its k inputs against
     * them: k FMAs and one store per row and 16 outputs. The dot form spends its time
     * here on scalar edges (a 4-input layer has no whole vector of k): the 4-16-3
     * network's step took 4.5 us, 30% of it in this product.
     */
    private void narrowRows() {
        mv = cw.visitMethod(ACC_PRIVATE | ACC_STATIC, k.name() + "_narrow", MATMUL_DESCRIPTOR, null, null);
        mv.visitCode();
        int a = 0, b = 1, c = 2, rows = 3, first = 4, end = 5, jb = 6, i = 7, next = 8;
        int[] weights = new int[k.k()];
        for (int kk = 0; kk < weights.length; kk++) weights[kk] = next++;
        int acc = next++;
        int input = next;
        blockEnd(rows, first, end);
        set(jb, 0);
        loop(() -> {
            mv.visitVarInsn(ILOAD, jb);
            push(mv, k.n());
        }, () -> {
            // weights[kk] = b[(jb + lane) * k + kk], lanes 0-15
            for (int kk = 0; kk < weights.length; kk++) {
                gather(b, rowOffset(jb, kk));
                mv.visitVarInsn(ASTORE, weights[kk]);
            }
            mv.visitVarInsn(ILOAD, first);
            mv.visitVarInsn(ISTORE, i);
            loop(() -> {
                mv.visitVarInsn(ILOAD, i);
                mv.visitVarInsn(ILOAD, end);
            }, () -> {
                zero(mv, owner);
                mv.visitVarInsn(ASTORE, acc);
                for (int kk = 0; kk < weights.length; kk++) {
                    // acc = broadcast(a[i * k + kk]).fma(weights[kk], acc): c's elements summed over k in order
                    broadcast(a, rowOffset(i, kk));
                    mv.visitVarInsn(ASTORE, input);
                    fma(mv, input, weights[kk], acc);
                }
                mv.visitVarInsn(ALOAD, acc);
                mv.visitVarInsn(ALOAD, c);
                mv.visitVarInsn(ILOAD, i);
                push(mv, k.n());
                mv.visitInsn(IMUL);
                mv.visitVarInsn(ILOAD, jb);
                mv.visitInsn(IADD);
                mv.visitMethodInsn(INVOKEVIRTUAL, VECTOR, "intoArray", "([FI)V", false);
                mv.visitIincInsn(i, 1);
            });
            mv.visitIincInsn(jb, LANES);
        });
        finish();
    }

    // ---- name_block(a, b, c, work, first): transpose the block's rows, then every tile of outputs ----

    private void block() {
        mv = cw.visitMethod(ACC_PRIVATE | ACC_STATIC, k.name() + "_block", BLOCK_DESCRIPTOR, null, null);
        mv.visitCode();
        int a = 0, b = 1, c = 2, work = 3, first = 4, kk = 5, o = 6, base = 7, j = 8;
        // work[kk * 32 + i] = a[(first + i) * k + kk]: rows 0-15 and 16-31 of the block, one gather each
        mv.visitVarInsn(ILOAD, first);
        push(mv, k.k());
        mv.visitInsn(IMUL);
        mv.visitVarInsn(ISTORE, base);
        set(kk, 0);
        set(o, 0);
        loop(() -> {
            mv.visitVarInsn(ILOAD, kk);
            push(mv, k.k());
        }, () -> {
            for (int half = 0; half < 2; half++) {
                int rowsBefore = half * LANES * k.k();
                gather(a, () -> {
                    mv.visitVarInsn(ILOAD, base);
                    if (rowsBefore > 0) {
                        push(mv, rowsBefore);
                        mv.visitInsn(IADD);
                    }
                    mv.visitVarInsn(ILOAD, kk);
                    mv.visitInsn(IADD);
                });
                mv.visitVarInsn(ALOAD, work);
                mv.visitVarInsn(ILOAD, o);
                if (half == 1) {
                    push(mv, LANES);
                    mv.visitInsn(IADD);
                }
                mv.visitMethodInsn(INVOKEVIRTUAL, VECTOR, "intoArray", "([FI)V", false);
            }
            mv.visitIincInsn(kk, 1);
            mv.visitIincInsn(o, BLOCK);
        });
        set(j, 0);
        for (int width : tiles(k.n())) {
            // while (j + width <= n) { name_t<width>(b, work, c, j, first); j += width; }
            loop(() -> {
                mv.visitVarInsn(ILOAD, j);
                push(mv, width);
                mv.visitInsn(IADD);
                push(mv, k.n() + 1);
            }, () -> {
                mv.visitVarInsn(ALOAD, b);
                mv.visitVarInsn(ALOAD, work);
                mv.visitVarInsn(ALOAD, c);
                mv.visitVarInsn(ILOAD, j);
                mv.visitVarInsn(ILOAD, first);
                mv.visitMethodInsn(INVOKESTATIC, owner, k.name() + "_t" + width, TILE_DESCRIPTOR, false);
                mv.visitIincInsn(j, width);
            });
        }
        finish();
    }

    // ---- name_t<width>(b, work, c, j, first): outputs [j, j + width) of the block's 32 rows ----

    private void tile(int width) {
        mv = cw.visitMethod(ACC_PRIVATE | ACC_STATIC, k.name() + "_t" + width, TILE_DESCRIPTOR, null, null);
        mv.visitCode();
        int b = 0, work = 1, c = 2, j = 3, first = 4, i = 5, end = 6, x = 7;
        int next = 8;
        int[][] acc = zeros(mv, owner, width, 2, next);
        next += width * 2;
        int[] rows = {next++, next++};
        int weight = next++;
        // for (i = j * k, end = i + k, x = 0; i < end; i++, x += 32): i walks row j of b, x the work array
        mv.visitVarInsn(ILOAD, j);
        push(mv, k.k());
        mv.visitInsn(IMUL);
        mv.visitInsn(DUP);
        mv.visitVarInsn(ISTORE, i);
        push(mv, k.k());
        mv.visitInsn(IADD);
        mv.visitVarInsn(ISTORE, end);
        set(x, 0);
        loop(() -> {
            mv.visitVarInsn(ILOAD, i);
            mv.visitVarInsn(ILOAD, end);
        }, () -> {
            for (int h = 0; h < 2; h++) {
                int half = h;
                load(mv, owner, work, () -> {
                    mv.visitVarInsn(ILOAD, x);
                    if (half == 1) {
                        push(mv, LANES);
                        mv.visitInsn(IADD);
                    }
                });
                mv.visitVarInsn(ASTORE, rows[h]);
            }
            for (int r = 0; r < width; r++) {
                // b[i + r * k]: row j + r of b at constant distances from i, so the JIT checks i once
                int distance = r * k.k();
                broadcast(b, () -> {
                    mv.visitVarInsn(ILOAD, i);
                    if (distance > 0) {
                        push(mv, distance);
                        mv.visitInsn(IADD);
                    }
                });
                mv.visitVarInsn(ASTORE, weight);
                for (int h = 0; h < 2; h++) fma(mv, weight, rows[h], acc[r][h]);
            }
            mv.visitIincInsn(i, 1);
            mv.visitIincInsn(x, BLOCK);
        });
        // acc[r][h] holds c[first + 16h + lane][j + r]: scattered down the column, rows n apart
        int o = x;
        mv.visitVarInsn(ILOAD, first);
        push(mv, k.n());
        mv.visitInsn(IMUL);
        mv.visitVarInsn(ILOAD, j);
        mv.visitInsn(IADD);
        mv.visitVarInsn(ISTORE, o);
        for (int r = 0; r < width; r++) {
            for (int h = 0; h < 2; h++) {
                mv.visitVarInsn(ALOAD, acc[r][h]);
                mv.visitVarInsn(ALOAD, c);
                mv.visitVarInsn(ILOAD, o);
                push(mv, h * LANES * k.n() + r);
                mv.visitInsn(IADD);
                mv.visitFieldInsn(GETSTATIC, owner, k.name() + "_cRows", INDEX_MAP);
                push(mv, 0);
                mv.visitMethodInsn(INVOKEVIRTUAL, VECTOR, "intoArray", "([FI[II)V", false);
            }
        }
        finish();
    }

    // ---- bytecode helpers ----

    /** while (left < right) body, where {@code compare} pushes left and right. */
    private void loop(Runnable compare, Runnable body) {
        whileLess(mv, compare, body);
    }

    private void finish() {
        mv.visitInsn(RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** Pushes the gather fromArray(S, array, index + {0, k, 2k, ...}): 16 rows of a row-major [][k] array. */
    private void gather(int array, Runnable index) {
        mv.visitFieldInsn(GETSTATIC, owner, "S", SPECIES_DESC);
        mv.visitVarInsn(ALOAD, array);
        index.run();
        mv.visitFieldInsn(GETSTATIC, owner, k.name() + "_aRows", INDEX_MAP);
        push(mv, 0);
        mv.visitMethodInsn(INVOKESTATIC, VECTOR, "fromArray", "(" + SPECIES_DESC + "[FI[II)" + VECTOR_DESC, false);
    }

    /** Pushes FloatVector.broadcast(S, array[index]). */
    private void broadcast(int array, Runnable index) {
        VectorKernelEmitter.broadcast(mv, owner, array, index);
    }

    /** Pushes row * k + column for the int local {@code row}: an element of a row-major [][k] array. */
    private Runnable rowOffset(int row, int column) {
        return () -> {
            mv.visitVarInsn(ILOAD, row);
            push(mv, k.k());
            mv.visitInsn(IMUL);
            push(mv, column);
            mv.visitInsn(IADD);
        };
    }

    /** local = value. */
    private void set(int local, int value) {
        setInt(mv, local, value);
    }
}
