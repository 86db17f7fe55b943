package dev.nnc.compiler.emit;

import dev.nnc.compiler.loop.Loop.*;
import dev.nnc.compiler.loop.VectorMatMul;
import dev.nnc.compiler.loop.VectorLoop;
import dev.nnc.compiler.source.CompilerBug;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

import java.util.*;

import static org.objectweb.asm.Opcodes.*;

/**
 * Loop nests to bytecode, for one method {@code void name(int n)} (or, split, {@code static
 * void name(Model self, int n)}): arrays are read from their fields into locals once, indices are int locals, values are doubles, loads and
 * stores convert to and from the element type. Scalar fields (loss, penalty, step, lr)
 * are read and written in place.
 */
final class LoopEmitter {
    private final MethodVisitor mv;
    private final String owner;
    private final Type element;
    private final Set<String> scalarFields;
    private final Map<String, Integer> arrays = new HashMap<>();
    private final Map<String, Integer> ints = new HashMap<>();
    private final Map<String, Integer> doubles = new HashMap<>();
    private int nextLocal = 2; // 0: this, 1: n

    private final String helper;
    private final Layout layout;

    LoopEmitter(MethodVisitor mv, String owner, String helper, Type element, Set<String> scalarFields, Layout layout) {
        this.helper = helper;
        this.layout = layout;
        this.mv = mv;
        this.owner = owner;
        this.element = element;
        this.scalarFields = scalarFields;
        ints.put("n", 1);
    }

    private String arrayDescriptor() {
        return "[" + element.getDescriptor();
    }

    void emit(List<Stmt> body) {
        Set<String> used = new LinkedHashSet<>();
        arraysOf(body, used);
        for (String array : used) {
            layout.loadArray(mv, array);
            int slot = nextLocal++;
            mv.visitVarInsn(ASTORE, slot);
            arrays.put(array, slot);
        }
        body.forEach(this::statement);
        mv.visitInsn(RETURN);
    }

    private static void arraysOf(List<Stmt> body, Set<String> out) {
        for (Stmt s : body) {
            if (s instanceof For f) {
                arraysOf(f.body(), out);
            } else if (s instanceof Store st) {
                out.add(st.array());
                arraysOf(st.value(), out);
            } else if (s instanceof Assign set) {
                arraysOf(set.value(), out);
            } else if (s instanceof VectorCall call) {
                out.addAll(List.of(call.a(), call.b(), call.out()));
                if (call.scratch() != null) out.add(call.scratch());
            } else if (s instanceof PackedProduct product) {
                out.addAll(List.of(product.a(), product.weight().field(), product.out()));
                arraysOf(List.of(product.fallback()), out);
            } else if (s instanceof VectorLoopCall call) {
                out.addAll(call.loop().arrays());
            } else if (s instanceof RuntimeCall call) {
                call.arrays().stream().filter(Objects::nonNull).forEach(out::add);
                arraysOf(call.fallback(), out);
            } else if (s instanceof Choose choose) {
                arraysOf(choose.vector(), out);
                arraysOf(choose.scalar(), out);
            }
        }
    }

    private static void arraysOf(Value v, Set<String> out) {
        if (v instanceof Load l) {
            out.add(l.array());
        } else if (v instanceof Bin b) {
            arraysOf(b.left(), out);
            arraysOf(b.right(), out);
        } else if (v instanceof Call c) {
            arraysOf(c.argument(), out);
        } else if (v instanceof Select s) {
            arraysOf(s.condition().left(), out);
            arraysOf(s.condition().right(), out);
            arraysOf(s.then(), out);
            arraysOf(s.otherwise(), out);
        }
    }

    private void statement(Stmt s) {
        if (s instanceof For f) {
            loop(f);
        } else if (s instanceof Assign set) {
            value(set.value());
            storeDouble(set.var());
        } else if (s instanceof Store st) {
            mv.visitVarInsn(ALOAD, array(st.array()));
            index(st.index());
            value(st.value());
            if (element == Type.FLOAT_TYPE) {
                mv.visitInsn(D2F);
                mv.visitInsn(FASTORE);
            } else {
                mv.visitInsn(DASTORE);
            }
        } else if (s instanceof VectorCall call) {
            // for (first = 0; first < rows of c; first += rows per call) helper.method(a, b, c, [scratch,] n, first)
            boolean dot = call.scratch() != null;
            int first = nextLocal++;
            Label test = new Label();
            Label end = new Label();
            mv.visitInsn(ICONST_0);
            mv.visitVarInsn(ISTORE, first);
            mv.visitLabel(test);
            mv.visitVarInsn(ILOAD, first);
            index(call.rows());
            mv.visitJumpInsn(IF_ICMPGE, end);
            for (String array : List.of(call.a(), call.b(), call.out())) mv.visitVarInsn(ALOAD, array(array));
            if (dot) mv.visitVarInsn(ALOAD, array(call.scratch()));
            mv.visitVarInsn(ILOAD, 1);
            mv.visitVarInsn(ILOAD, first);
            mv.visitMethodInsn(INVOKESTATIC, helper, call.method(),
                    dot ? VectorKernelEmitter.DOT_DESCRIPTOR : VectorKernelEmitter.MATMUL_DESCRIPTOR, false);
            mv.visitIincInsn(first, dot ? VectorMatMul.BLOCK_ROWS : VectorKernelEmitter.TILE_ROWS);
            mv.visitJumpInsn(GOTO, test);
            mv.visitLabel(end);
        } else if (s instanceof VectorLoopCall call) {
            vectorLoop(call);
        } else if (s instanceof PackedProduct product) {
            packedProduct(product);
        } else if (s instanceof RuntimeCall call) {
            runtimeCall(call);
        } else if (s instanceof Choose choose) {
            Label scalar
 = new Label();
            Label done = new Label();
            mv.visitFieldInsn(GETSTATIC, owner, ClassEmitter.VECTOR_FLAG, "Z");
            mv.visitJumpInsn(IFEQ, scalar);
            choose.vector().forEach(this::statement);
            mv.visitJumpInsn(GOTO, done);
            mv.visitLabel(scalar);
            choose.scalar().forEach(this::statement);
            mv.visitLabel(done);
        } else {
            throw new CompilerBug("statement " + s);
        }
    }

    /**
     * {@code if (packed != null) Gemm.multiply(a, packed, out, helper.tall(a, packed, out, rows), rows, k, n);
     * else fallback}: the helper's tall tiles take the rows they can, the runtime the rest
     * (all of them when the outputs do not fill half panels: there is no tall method).
     */
    private void packedProduct(PackedProduct product) {
        Label fallback = new Label();
        Label done = new Label();
        PackedWeight weight = product.weight();
        mv.visitVarInsn(ALOAD, array(weight.field()));
        mv.visitJumpInsn(IFNULL, fallback);
        List<String> arrays = List.of(product.a(), weight.field(), product.out());
        for (String array : arrays) mv.visitVarInsn(ALOAD, array(array));
        if (TallTileEmitter.applies(weight)) {
            for (String array : arrays) mv.visitVarInsn(ALOAD, array(array));
            index(product.rows());
            mv.visitMethodInsn(INVOKESTATIC, helper, TallTileEmitter.method(weight), TallTileEmitter.DESCRIPTOR, false);
        } else {
            mv.visitInsn(ICONST_0);
        }
        index(product.rows());
        mv.visitLdcInsn(weight.k());
        mv.visitLdcInsn(weight.n());
        mv.visitMethodInsn(INVOKESTATIC, ClassEmitter.GEMM, "multiply", "([F[F[FIIII)V", false);
        mv.visitJumpInsn(GOTO, done);
        mv.visitLabel(fallback);
        statement(product.fallback());
        mv.visitLabel(done);
    }

    /** {@code if (VECTOR && Gemm.available()) owner.method(...); else fallback}. */
    private void runtimeCall(RuntimeCall call) {
        Label fallback = new Label();
        Label done = new Label();
        mv.visitFieldInsn(GETSTATIC, owner, ClassEmitter.VECTOR_FLAG, "Z");
        mv.visitJumpInsn(IFEQ, fallback);
        mv.visitMethodInsn(INVOKESTATIC, ClassEmitter.GEMM, "available", "()Z", false);
        mv.visitJumpInsn(IFEQ, fallback);
        StringBuilder descriptor = new StringBuilder("(");
        for (String array : call.arrays()) {
            if (array == null) mv.visitInsn(ACONST_NULL);
            else mv.visitVarInsn(ALOAD, array(array));
            descriptor.append("[F");
        }
        for (Index i : call.ints()) {
            index(i);
            descriptor.append('I');
        }
        mv.visitMethodInsn(INVOKESTATIC, ClassEmitter.VECTOR_PACKAGE + call.owner(), call.method(), descriptor.append(")V").toString(), false);
        mv.visitJumpInsn(GOTO, done);
        mv.visitLabel(fallback);
        call.fallback().forEach(this::statement);
        mv.visitLabel(done);
    }

    /**
     * A vector loop: whole vectors in chunks of VectorLoop.CHUNK elements, each a short
     * call of the helper; then the elements past the last whole vector in scalar code.
     */
    private void vectorLoop(VectorLoopCall call) {
        int from = nextLocal++;
        int vectorEnd = nextLocal++;
        int size = call.loop().size();
        mv.visitLdcInsn(size);
        mv.visitLdcInsn(size);
        mv.visitMethodInsn(INVOKESTATIC, helper, "lanes", "()I", false);
        mv.visitInsn(IREM);
        mv.visitInsn(ISUB);
        mv.visitVarInsn(ISTORE, vectorEnd);
        Label test = new Label();
        Label end = new Label();
        mv.visitInsn(ICONST_0);
        mv.visitVarInsn(ISTORE, from);
        mv.visitLabel(test);
        mv.visitVarInsn(ILOAD, from);
        mv.visitVarInsn(ILOAD, vectorEnd);
        mv.visitJumpInsn(IF_ICMPGE, end);
        for (String array : call.loop().arrays()) mv.visitVarInsn(ALOAD, array(array));
        for (Index offset : call.loop().offsets()) index(offset);
        for (String scalar : call.loop().scalars()) value(new Var(scalar));
        mv.visitVarInsn(ILOAD, from);
        mv.visitVarInsn(ILOAD, from);
        mv.visitLdcInsn(VectorLoop.CHUNK);
        mv.visitInsn(IADD);
        mv.visitVarInsn(ILOAD, vectorEnd);
        mv.visitMethodInsn(INVOKESTATIC, "java/lang/Math", "min", "(II)I", false);
        mv.visitMethodInsn(INVOKESTATIC, helper, call.loop().name(), call.loop().descriptor(), false);
        if (call.result() == null) mv.visitInsn(POP2);
        else storeDouble(call.result());
        mv.visitVarInsn(ILOAD, from);
        mv.visitLdcInsn(VectorLoop.CHUNK);
        mv.visitInsn(IADD);
        mv.visitVarInsn(ISTORE, from);
        mv.visitJumpInsn(GOTO, test);
        mv.visitLabel(end);
        For scalar = call.loop().loop();
        String start = "vector_end";
        ints.put(start, vectorEnd);
        loop(new For(scalar.var(), new IVar(start), scalar.to(), scalar.body()));
        ints.remove(start);
    }

    /** Stores the double on the stack into a scalar field or a (new) local. */
    private void storeDouble(String var) {
        if (scalarFields.contains(var)) {
            mv.visitVarInsn(ALOAD, 0);
            mv.visitInsn(DUP_X2);
            mv.visitInsn(POP);
            mv.visitFieldInsn(PUTFIELD, owner, var, "D");
            return;
        }
        Integer slot = doubles.get(var);
        if (slot == null) {
            slot = nextLocal;
            nextLocal += 2;
            doubles.put(var, slot);
        }
        mv.visitVarInsn(DSTORE, slot);
    }

    private void loop(For f) {
        CompilerBug.check(!ints.containsKey(f.var()) || !f.var().equals("n"), "loop variable n");
        Integer previous = ints.get(f.var());
        int slot = nextLocal++;
        ints.put(f.var(), slot);
        index(f.from());
        mv.visitVarInsn(ISTORE, slot);
        Label test = new Label();
        Label end = new Label();
        mv.visitLabel(test);
        mv.visitVarInsn(ILOAD, slot);
        index(f.to());
        mv.visitJumpInsn(IF_ICMPGE, end);
        f.body().forEach(this::statement);
        mv.visitIincInsn(slot, 1);
        mv.visitJumpInsn(GOTO, test);
        mv.visitLabel(end);
        if (previous == null) ints.remove(f.var());
        else ints.put(f.var(), previous);
    }

    private int array(String name) {
        Integer slot = arrays.get(name);
        CompilerBug.check(slot != null, "array " + name + " not loaded");
        return slot;
    }

    private void index(Index i) {
        if (i instanceof IConst c) {
            pushInt(c.value());
        } else if (i instanceof IVar v) {
            Integer slot = ints.get(v.name());
            CompilerBug.check(slot != null, "unbound index variable " + v.name());
            mv.visitVarInsn(ILOAD, slot);
        } else if (i instanceof IAdd a) {
            index(a.left());
            index(a.right());
            mv.visitInsn(IADD);
        } else if (i instanceof IMul m) {
            index(m.left());
            index(m.right());
            mv.visitInsn(IMUL);
        } else if (i instanceof IMin m) {
            index(m.left());
            index(m.right());
            mv.visitMethodInsn(INVOKESTATIC, "java/lang/Math", "min", "(II)I", false);
        } else if (i instanceof IMax m) {
            index(m.left());
            index(m.right());
            mv.visitMethodInsn(INVOKESTATIC, "java/lang/Math", "max", "(II)I", false);
        }
    }

    private void pushInt(int v) {
        if (v >= -1 && v <= 5) mv.visitInsn(ICONST_0 + v);
        else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) mv.visitIntInsn(BIPUSH, v);
        else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) mv.visitIntInsn(SIPUSH, v);
        else mv.visitLdcInsn(v);
    }

    private void value(Value v) {
        if (v instanceof Const c) {
            if (c.value() == 0 && Double.doubleToRawLongBits(c.value()) == 0) mv.visitInsn(DCONST_0);
            else if (c.value() == 1) mv.visitInsn(DCONST_1);
            else mv.visitLdcInsn(c.value());
        } else if (v instanceof Var var) {
            if (scalarFields.contains(var.name())) {
                mv.visitVarInsn(ALOAD, 0);
                mv.visitFieldInsn(GETFIELD, owner, var.name(), "D");
            } else {
                Integer slot = doubles.get(var.name());
                CompilerBug.check(slot != null, "unset variable " + var.name());
                mv.visitVarInsn(DLOAD, slot);
            }
        } else if (v instanceof Load l) {
            mv.visitVarInsn(ALOAD, array(l.array()));
            index(l.index());
            if (element == Type.FLOAT_TYPE) {
                mv.visitInsn(FALOAD);
                mv.visitInsn(F2D);
            } else {
                mv.visitInsn(DALOAD);
            }
        } else if (v instanceof Bin b) {
            value(b.left());
            value(b.right());
            switch (b.op()) {
                case ADD -> mv.visitInsn(DADD);
                case SUB -> mv.visitInsn(DSUB);
                case MUL -> mv.visitInsn(DMUL);
                case DIV -> mv.visitInsn(DDIV);
                case MAX -> math("max", "(DD)D");
                case MIN -> math("min", "(DD)D");
                case POW -> math("pow", "(DD)D");
            }
        } else if (v instanceof Call c && c.fn() == Fn.FLUSH_SUBNORMAL) {
            select(new Select(new Cond(CmpOp.LT, new Call(Fn.ABS, c.argument()), new Const(Float.MIN_NORMAL)),
                    new Const(0), c.argument()));
        } else if (v instanceof Call c) {
            value(c.argument());
            math(c.fn().name().toLowerCase(), "(D)D");
        } else if (v instanceof Select s) {
            select(s);
        } else if (v instanceof IndexValue iv) {
            index(iv.index());
            mv.visitInsn(I2D);
        } else if (v instanceof Uniform) {
            mv.visitVarInsn(ALOAD, 0);
            mv.visitFieldInsn(GETFIELD, owner, "rng", "Ldev/nnc/runtime/Rng;");
            mv.visitMethodInsn(INVOKEVIRTUAL, "dev/nnc/runtime/Rng", "nextDouble", "()D", false);
        } else {
            throw new CompilerBug("value " + v);
        }
    }

    private void math(String name, String descriptor) {
        mv.visitMethodInsn(INVOKESTATIC, "java/lang/Math", name, descriptor, false);
    }

    /** A comparison that is false for NaN, then one of two values. */
    private void select(Select s) {
        Label otherwise = new Label();
        Label done = new Label();
        value(s.condition().left());
        value(s.condition().right());
        switch (s.condition().op()) {
            case LT -> { mv.visitInsn(DCMPG); mv.visitJumpInsn(IFGE, otherwise); }
            case LE -> { mv.visitInsn(DCMPG); mv.visitJumpInsn(IFGT, otherwise); }
            case GT -> { mv.visitInsn(DCMPL); mv.visitJumpInsn(IFLE, otherwise); }
            case GE -> { mv.visitInsn(DCMPL); mv.visitJumpInsn(IFLT, otherwise); }
            case EQ -> { mv.visitInsn(DCMPL); mv.visitJumpInsn(IFNE, otherwise); }
        }
        value(s.then());
        mv.visitJumpInsn(GOTO, done);
        mv.visitLabel(otherwise);
        value(s.otherwise());
        mv.visitLabel(done);
    }
}
