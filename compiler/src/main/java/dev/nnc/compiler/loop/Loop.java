package dev.nnc.compiler.loop;

import java.util.List;

/**
 * The kernel language: loops over arrays, which kernels are lowered to and the class
 * emitter turns into bytecode. Indices are ints; values are computed in double and
 * converted when loaded from and stored to arrays of the model's element type.
 * Arrays and scalars are named; the emitter maps names to fields and locals.
 */
public final class Loop {
    private Loop() {}

    // ---- int expressions: indices and bounds ----

    public sealed interface Index {}

    public record IConst(int value) implements Index {}

    /** A loop variable, or {@code n}, the number of rows of the current batch. */
    public record IVar(String name) implements Index {}

    public record IAdd(Index left, Index right) implements Index {}

    public record IMul(Index left, Index right) implements Index {}

    public record IMin(Index left, Index right) implements Index {}

    public record IMax(Index left, Index right) implements Index {}

    public static final IVar ROWS = new IVar("n");

    public static Index c(int v) {
        return new IConst(v);
    }

    public static Index v(String name) {
        return new IVar(name);
    }

    public static Index add(Index a, Index b) {
        if (a instanceof IConst x && x.value() == 0) return b;
        if (b instanceof IConst y && y.value() == 0) return a;
        return new IAdd(a, b);
    }

    public static Index mul(Index a, Index b) {
        if (a instanceof IConst x && x.value() == 1) return b;
        if (b instanceof IConst y && y.value() == 1) return a;
        return new IMul(a, b);
    }

    // ---- real expressions, evaluated in double ----

    public sealed interface Value {}

    public record Const(double value) implements Value {}

    /** A double local variable or a double field (scalars: hyper-parameters, the step). */
    public record Var(String name) implements Value {}

    public record Load(String array, Index index) implements Value {}

    public enum BinOp { ADD, SUB, MUL, DIV, MAX, MIN, POW }

    public record Bin(BinOp op, Value left, Value right) implements Value {}

    /** FLUSH_SUBNORMAL: x, or 0 where |x| is below the smallest normal float (and not NaN). */
    public enum Fn { EXP, LOG, LOG1P, SQRT, ABS, SIGNUM, FLUSH_SUBNORMAL }

    public record Call(Fn fn, Value argument) implements Value {}

    /** {@code condition ? then : otherwise}. */
    public record Select(Cond condition, Value then, Value otherwise) implements Value {}

    /** An index as a real (the column of a one-hot target, the batch size). */
    public record IndexValue(Index index) implements Value {}

    /** A uniform random number in [0, 1) from the model's generator. */
    public record Uniform() implements Value {}

    public enum CmpOp { LT, LE, GT, GE, EQ }

    public record Cond(CmpOp op, Value left, Value right) {}

    public static Value k(double v) {
        return new Const(v);
    }

    public static Value plus(Value a, Value b) {
        return new Bin(BinOp.ADD, a, b);
    }

    public static Value minus(Value a, Value b) {
        return new Bin(BinOp.SUB, a, b);
    }

    public static Value times(Value a, Value b) {
        return new Bin(BinOp.MUL, a, b);
    }

    public static Value div(Value a, Value b) {
        return new Bin(BinOp.DIV, a, b);
    }

    public static Value fn(Fn f, Value a) {
        return new Call(f, a);
    }

    public static Value select(CmpOp op, Value l, Value r, Value then, Value otherwise) {
        return new Select(new Cond(op, l, r), then, otherwise);
    }

    // ---- statements ----

    public sealed interface Stmt {}

    /** {@code for (int var = from; var < to; var++) body}. */
    public record For(String var, Index from, Index to, List<Stmt> body) implements Stmt {}

    /** Declares (first time) or assigns a double local or a double field. */
    public record Assign(String var, Value value) implements Stmt {}

    public record Store(String array, Index index, Value value) implements Stmt {}

    /**
     * {@code helper.method(a, b, out, n)}: a matrix product of the Vector API helper
     * class (see {@link VectorMatMul}). A dot product also passes {@code scratch}, the
     * work array in which it lays out a block of a's rows transposed; other products
     * pass none ({@code scratch} is null).
     */
    public record VectorCall(String method, String a, String b, String out, String scratch, Index rows) implements Stmt {}

    /**
     * Runs a {@link VectorLoop} in the helper class; its result (the reduction, or 0)
     * goes to {@code result} unless that is null.
     */
    public record VectorLoopCall(VectorLoop loop, String result) implements Stmt {}

    /**
     * {@code owner.method(arrays..., ints...)}: an image kernel of the runtime (the class
     * {@code owner} of {@code dev.nnc.runtime.vector}) when it runs on this machine
     * (512-bit vectors), else {@code fallback}. A null array name passes null.
     */
    public record RuntimeCall(String owner, String method, List<String> arrays, List<Index> ints, List<Stmt> fallback) implements Stmt {}

    /** A work array of a runtime kernel: {@code size} floats, per row of the batch when {@code batched}. */
    public record Scratch(String name, boolean batched, int size) {}

    /** The vector statements when the Vector API is available at run time, else the scalar ones. */
    public record Choose(List<Stmt> vector, List<Stmt> scalar) implements Stmt {}

    /**
     * {@code out = a · wᵀ} through the runtime's packed product when the weight has been
     * packed ({@code packed} is not null: see {@link PackedWeight}), else {@code fallback}.
     */
    public record PackedProduct(String a, PackedWeight weight, String out, Index rows, Stmt fallback) implements Stmt {}

    /**
     * A weight tensor {@code parameter} that prediction reads from a packed copy, the field
     * {@code field}, made by {@code packWeights()} with {@code owner.pack(parameter,
     * sizes...)} of the runtime: a dense layer's [n][k] matrix as Gemm's panels, or a
     * convolution's filters [f][c][kh][kw] as Conv's rows of filters.
     */
    public record PackedWeight(String parameter, String field, String owner, List<Integer> sizes) {
        public static PackedWeight matrix(String parameter, int n, int k) {
            return new PackedWeight(parameter, parameter + "_packed", "Gemm", List.of(n, k));
        }

        public static PackedWeight filters(String parameter, int f, int c, int kh, int kw) {
            return new PackedWeight(parameter, parameter + "_packed", "Conv", List.of(f, c, kh, kw));
        }

        public int n() {
            return sizes.get(0);
        }

        public int k() {
            return sizes.get(1);
        }
    }

    public static Stmt loop(String var, Index to, Stmt... body) {
        return new For(var, c(0), to, List.of(body));
    }

    public static Stmt loop(String var, Index to, List<Stmt> body) {
        return new For(var, c(0), to, body);
    }

    public static Stmt set(String var, Value value) {
        return new Assign(var, value);
    }

    public static Stmt store(String array, Index index, Value value) {
        return new Store(array, index, value);
    }

    /** A named method of straight-line statements. */
    public record Function(String name, String description, List<Stmt> body) {}
}
