package dev.nnc.compiler.emit;

import dev.nnc.compiler.loop.Loop.PackedWeight;
import dev.nnc.compiler.source.CompilerBug;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;

import static dev.nnc.compiler.emit.VectorKernelEmitter.*;
import static org.objectweb.asm.Opcodes.*;

/**
 * Prediction's product c = a · wᵀ for the rows of a batch that fill tiles of 14 and 12
 * rows, on the panels the runtime's {@code Gemm.pack} made of w (64 columns of wᵀ per
 * panel, k rows of them). A tile is 14 or 12 rows by 32 columns (half a panel): per step
 * of k, two vector loads of the panel and a broadcast of each row's element of a, 28 or
 * 24 FMAs. The runtime's own tile is 6 rows by 4 vectors, because there k is a variable:
 * each row of a then needs a register of its own for its offset, and C2 has none to
 * spare for more rows. Here the rows of a lie at distances the compiler knows (r · k), so
 * one register walks them all and the JIT checks their bounds once per loop. Per FMA,
 * the taller tile loads half the bytes of the panel; on this machine's 512-bit loads,
 * which mostly straddle two cache lines (a Java array is not aligned to 64 bytes), that
 * is what counts. JMH (GemmBenchmark, three JVMs each, 2026-11-28): 784 by 256 at 64
 * rows, 143.5 us against 170.5 for the runtime's tiles; 256 by 128, 24.2 against 27.1.
 *
 * <p>A batch of 12q + m rows takes min(q, m / 2) tiles of 14 and the rest of 12 (64 rows:
 * two of 14, three of 12); the rows past them are left to {@code Gemm.multiply(a,
 * packed, c, from, rows, k, n)}, which also keeps one sample's path. Each element of c
 * is the same chain of FMAs over k in order as the runtime's tiles compute, so a row's
 * outputs do not depend on which of them it falls to.
 */
final class TallTileEmitter {
    /** Rows per tile: 12, or 14 where that leaves fewer rows to the runtime (28 of the 32 vector registers for accumulators). */
    static final int ROWS = 12;
    private static final int TALLER = 14;
    private static final int LANES = 16;
    private static final int HALF = 32;
    private static final int PANEL = dev.nnc.runtime.vector.Gemm.PANEL;
    /** Floats before the first panel, as Gemm.pack leaves them (so that the panels may start on a cache line). */
    private static final int FIRST = dev.nnc.runtime.vector.Gemm.FIRST;
    /** Rows per block: a block's rows (120 of 784 floats: 376 KB) stay in L2 while every panel streams past them, as in Gemm. */
    private static final int BLOCK = 10 * ROWS;
    /** {@code (a, packed, c, rows)}: computes rows [0, from) of c and returns from. */
    static final String DESCRIPTOR = "([F[F[FI)I";
    private static final String TILE_DESCRIPTOR = "([FI[FI[FI)V";

    private final ClassWriter cw;
    private final String owner;
    private final PackedWeight w;
    private MethodVisitor mv;

    TallTileEmitter(ClassWriter cw, String owner, PackedWeight w) {
        CompilerBug.check(applies(w), "tall tiles for " + w);
        this.cw = cw;
        this.owner = owner;
        this.w = w;
    }

    /**
     * Whether a packed weight gets tall tiles: a dense layer's matrix whose outputs fill
     * half panels (every index then lies within the arrays the tiles read and write, and
     * k * 64, a panel's floats, within an int, as Gemm.pack's array does).
     */
    static boolean applies(PackedWeight w) {
        return w.owner().equals("Gemm") && w.n() % HALF == 0 && (long) w.k() * PANEL <= Integer.MAX_VALUE;
    }

    /** The name of the method that computes the tiled rows: {@code (a, packed, c, rows)} returns the first row it left. */
    static String method(PackedWeight w) {
        return w.field() + "_tall";
    }

    void emit() {
        rows();
        tile(TALLER);
        tile(ROWS);
    }

    // ---- name_tall(a, packed, c, rows): tiles of 14 rows, then of 12, a block of rows at a time ----

    private void rows() {
        mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, method(w), DESCRIPTOR, null, null);
        mv.visitCode();
        int rows = 3, tiles = 4, taller = 5, first = 6, tiled = 7;
        // rows = 12 tiles + left: each tile of 14 instead of 12 takes two of the rows left,
        // taller = min(tiles, left / 2) of them (64 rows: two of 14, three of 12, none left)
        mv.visitVarInsn(ILOAD, rows);
        push(mv, ROWS);
        mv.visitInsn(IDIV);
        mv.visitVarInsn(ISTORE, tiles);
        mv.visitVarInsn(ILOAD, tiles);
        mv.visitVarInsn(ILOAD, rows);
        push(mv, ROWS);
        mv.visitInsn(IREM);
        push(mv, 1);
        mv.visitInsn(ISHR);
        mv.visitMethodInsn(INVOKESTATIC, "java/lang/Math", "min", "(II)I", false);
        mv.visitVarInsn(ISTORE, taller);
        // first = taller * 14; tiled = first + (tiles - taller) * 12
        times(taller, TALLER);
        mv.visitVarInsn(ISTORE, first);
        mv.visitVarInsn(ILOAD, first);
        mv.visitVarInsn(ILOAD, tiles);
        mv.visitVarInsn(ILOAD, taller);
        mv.visitInsn(ISUB);
        push(mv, ROWS);
        mv.visitInsn(IMUL);
        mv.visitInsn(IADD);
        mv.visitVarInsn(ISTORE, tiled);
        blocks(TALLER, -1, first);
        blocks(ROWS, first, tiled);
        mv.visitVarInsn(ILOAD, tiled);
        mv.visitInsn(IRETURN);
        finish();
    }

    /**
     * Rows [from, to) of c in tiles of {@code height} rows, blocks of about 120 rows at a
     * time: for each block, every half panel, every tile; {@code from} an int local, or
     * -1 for row 0.
     */
    private void blocks(int height, int from, int to) {
        int a = 0, packed = 1, c = 2, block = 8, end = 9, half = 10, row = 11;
        int blockRows = BLOCK / height * height;
        if (from < 0) setInt(mv, block, 0);
        else {
            mv.visitVarInsn(ILOAD, from);
            mv.visitVarInsn(ISTORE, block);
        }
        loop(block, local(to), blockRows, () -> {
            // end = min(to, block + blockRows)
            mv.visitVarInsn(ILOAD, to);
            mv.visitVarInsn(ILOAD, block);
            push(mv, blockRows);
            mv.visitInsn(IADD);
            mv.visitMethodInsn(INVOKESTATIC, "java/lang/Math", "min", "(II)I", false);
            mv.visitVarInsn(ISTORE, end);
            setInt(mv, half, 0);
            loop(half, () -> push(mv, w.n() / HALF), 1, () -> {
                mv.visitVarInsn(ILOAD, block);
                mv.visitVarInsn(ISTORE, row);
                loop(row, local(end), height, () -> {
                    // name_tile<height>(a, row * k, packed, (half >> 1) * k * 64 + (half & 1) * 32, c, row * n + half * 32)
                    mv.visitVarInsn(ALOAD, a);
                    times(row, w.k());
                    mv.visitVarInsn(ALOAD, packed);
                    mv.visitVarInsn(ILOAD, half);
                    push(mv, 1);
                    mv.visitInsn(ISHR);
                    push(mv, w.k() * PANEL);
                    mv.visitInsn(IMUL);
                    mv.visitVarInsn(ILOAD, half);
                    push(mv, 1);
                    mv.visitInsn(IAND);
                    push(mv, HALF);
                    mv.visitInsn(IMUL);
                    mv.visitInsn(IADD);
                    push(mv, FIRST);
                    mv.visitInsn(IADD);
                    mv.visitVarInsn(ALOAD, c);
                    times(row, w.n());
                    times(half, HALF);
                    mv.visitInsn(IADD);
                    mv.visitMethodInsn(INVOKESTATIC, owner, w.field() + "_tile" + height, TILE_DESCRIPTOR, false);
                });
            });
        });
    }

    // ---- name_tile<height>(a, aStart, b, bStart, c, cStart): height rows of c by 32 columns ----

    private void tile(int height) {
        mv = cw.visitMethod(ACC_PRIVATE | ACC_STATIC, w.field() + "_tile" + height, TILE_DESCRIPTOR, null, null);
        mv.visitCode();
        int a = 0, aStart = 1, b = 2, bStart = 3, c = 4, cStart = 5, p = 6, q = 7, end = 8;
        int next = 9;
        int[][] acc = zeros(mv, owner, height, 2, next);
        next += height * 2;
        int[] panel = {next++, next++};
        int x = next;
        // for (p = bStart, q = aStart, end = bStart + k * 64; p < end; p += 64, q++): the loop runs on
        // the panel offset against its end, as Gemm's (C2 compiled it faster than a loop on k)
        mv.visitVarInsn(ILOAD, bStart);
        mv.visitVarInsn(ISTORE, p);
        mv.visitVarInsn(ILOAD, aStart);
        mv.visitVarInsn(ISTORE, q);
        plus(bStart, w.k() * PANEL);
        mv.visitVarInsn(ISTORE, end);
        loop(p, local(end), PANEL, () -> {
            for (int v = 0; v < 2; v++) {
                int offset = v * LANES;
                load(mv, owner, b, () -> plus(p, offset));
                mv.visitVarInsn(ASTORE, panel[v]);
            }
            for (int r = 0; r < height; r++) {
                // a[q + r * k]: row r of the tile at a constant distance from q
                int distance = r * w.k();
                broadcast(mv, owner, a, () -> plus(q, distance));
                mv.visitVarInsn(ASTORE, x);
                for (int v = 0; v < 2; v++) fma(mv, x, panel[v], acc[r][v]);
            }
            mv.visitIincInsn(q, 1);
        });
        for (int r = 0; r < height; r++) {
            for (int v = 0; v < 2; v++) {
                mv.visitVarInsn(ALOAD, acc[r][v]);
                mv.visitVarInsn(ALOAD, c);
                plus(cStart, r * w.n() + v * LANES);
                mv.visitMethodInsn(INVOKEVIRTUAL, VECTOR, "intoArray", "([FI)V", false);
            }
        }
        mv.visitInsn(RETURN);
        finish();
    }

    // ---- bytecode helpers ----

    /** while (var < limit) { body; var += step; }, {@code limit} pushing the bound. */
    private void loop(int var, Runnable limit, int step, Runnable body) {
        whileLess(mv, () -> {
            mv.visitVarInsn(ILOAD, var);
            limit.run();
        }, () -> {
            body.run();
            mv.visitIincInsn(var, step);
        });
    }

    /** Pushes an int local. */
    private Runnable local(int var) {
        return () -> mv.visitVarInsn(ILOAD, var);
    }

    /** Pushes var * factor. */
    private void times(int var, int factor) {
        mv.visitVarInsn(ILOAD, var);
        push(mv, factor);
        mv.visitInsn(IMUL);
    }

    /** Pushes var + constant. */
    private void plus(int var, int constant) {
        mv.visitVarInsn(ILOAD, var);
        if (constant != 0) {
            push(mv, constant);
            mv.visitInsn(IADD);
        }
    }

    private void finish() {
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }
}
