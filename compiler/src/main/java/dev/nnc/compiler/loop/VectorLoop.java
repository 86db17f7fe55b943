package dev.nnc.compiler.loop;

import dev.nnc.compiler.loop.Loop.*;
import dev.nnc.compiler.source.CompilerBug;

import java.util.*;

/**
 * An element-wise loop {@code for (i = 0; i < size; i++)} that the Vector API helper
 * class runs as {@code double name(float[]... arrays, int... offsets, double... scalars,
 * int from, int to)}: every load and store of an array is at its offset plus i (the
 * offset is fixed while the loop runs: a row of a batch, say), the values use only
 * operations with a lane-wise form that gives the same bits interpreted or compiled
 * (no log), and
 * at most one outer variable is accumulated ({@code reduction = reduction + e}); the
 * method returns its final value. Found by {@link #of}, which says no to anything else.
 */
public record VectorLoop(String name, For loop, List<String> arrays, List<Index> offsets, List<String> scalars,
                         String reduction) {

    public static Optional<VectorLoop> of(String name, Stmt stmt) {
        if (!(stmt instanceof For f) || !(f.from() instanceof IConst from) || from.value() != 0
                || !(f.to() instanceof IConst)) {
            return Optional.empty();
        }
        Analysis a = new Analysis(f.var());
        for (Stmt s : f.body()) {
            if (!a.statement(s)) return Optional.empty();
        }
        if (a.reductions.size() > 1) return Optional.empty();
        List<String> scalars = new ArrayList<>(a.outer);
        String reduction = a.reductions.isEmpty() ? null : a.reductions.iterator().next();
        if (reduction != null && !scalars.contains(reduction)) scalars.add(0, reduction);
        List<String> arrays = List.copyOf(a.arrays.keySet());
        List<Index> offsets = List.copyOf(a.arrays.values());
        return Optional.of(new VectorLoop(name, f, arrays, offsets, List.copyOf(scalars), reduction));
    }

    private static final class Analysis {
        final String index;
        final Map<String, Index> arrays = new LinkedHashMap<>();
        final Set<String> outer = new LinkedHashSet<>();
        final Set<String> locals = new HashSet<>();
        final Set<String> reductions = new LinkedHashSet<>();

        Analysis(String index) {
            this.index = index;
        }

        boolean statement(Stmt s) {
            if (s instanceof Store st) {
                return access(st.array(), st.index()) && value(st.value());
            }
            if (s instanceof Assign as) {
                if (!locals.contains(as.var()) && as.value() instanceof Bin b && b.op() == BinOp.ADD
                        && b.left() instanceof Var v && v.name().equals(as.var())) {
                    reductions.add(as.var());
                    return value(b.right()) && !mentions(b.right(), as.var());
                }
                if (reductions.contains(as.var())) return false;
                boolean ok = value(as.value());
                locals.add(as.var());
                return ok;
            }
            return false;
        }

        /** An access at offset + i, with the same offset for every access to the array. */
        boolean access(String array, Index at) {
            Index offset;
            if (at instanceof IVar v && v.name().equals(index)) {
                offset = new IConst(0);
            } else if (at instanceof IAdd add && add.right() instanceof IVar v && v.name().equals(index)
                    && !mentions(add.left(), index)) {
                offset = add.left();
            } else {
                return false;
            }
            Index previous = arrays.putIfAbsent(array, offset);
            return previous == null || previous.equals(offset);
        }

        static boolean mentions(Index i, String var) {
            if (i instanceof IVar v) return v.name().equals(var);
            if (i instanceof IAdd a) return mentions(a.left(), var) || mentions(a.right(), var);
            if (i instanceof IMul m) return mentions(m.left(), var) || mentions(m.right(), var);
            if (i instanceof IMin m) return mentions(m.left(), var) || mentions(m.right(), var);
            if (i instanceof IMax m) return mentions(m.left(), var) || mentions(m.right(), var);
            return false;
        }

        boolean value(Value v) {
            if (v instanceof Const) return true;
            if (v instanceof Var var) {
                if (reductions.contains(var.name())) return false;
                if (!locals.contains(var.name())) outer.add(var.name());
                return true;
            }
            if (v instanceof Load l) return access(l.array(), l.index());
            if (v instanceof Bin b) return b.op() != BinOp.POW && value(b.left()) && value(b.right());
            if (v instanceof Call c) {
                // exp is written into the loop (see VectorExpWriter); log stays scalar: the
                // Vector API's lanewise(LOG) gives other last bits compiled than interpreted,
                // so that a run's weights would depend on the JIT (Math.log never does)
                return switch (c.fn()) {
                    case SQRT, ABS, SIGNUM, EXP, FLUSH_SUBNORMAL -> value(c.argument());
                    case LOG, LOG1P -> false;
                };
            }
            if (v instanceof Select s) {
                return value(s.condition().left()) && value(s.condition().right()) && value(s.then()) && value(s.otherwise());
            }
            return false;
        }

        static boolean mentions(Value v, String name) {
            if (v instanceof Var var) return var.name().equals(name);
            if (v instanceof Bin b) return mentions(b.left(), name) || mentions(b.right(), name);
            if (v instanceof Call c) return mentions(c.argument(), name);
            if (v instanceof Select s) {
                return mentions(s.condition().left(), name) || mentions(s.condition().right(), name)
                        || mentions(s.then(), name) || mentions(s.otherwise(), name);
            }
            return false;
        }
    }

    /**
     * What the helper method depends on: the body with its arrays, scalars and locals
     * named by position (the method's parameters and slots), but not the offsets or the
     * length, which its callers pass. Loops of the same shape (the slices of one tensor's
     * update, every weight's update by one optimizer, a layer's activation in prediction,
     * evaluation and training) share one method, so that the JIT compiles it once and soon.
     */
    public List<Object> methodShape() {
        Positions p = new Positions(new HashMap<>(), new HashMap<>());
        for (int i = 0; i < arrays.size(); i++) p.arrays.put(arrays.get(i), "array" + i);
        for (int i = 0; i < scalars.size(); i++) p.values.put(scalars.get(i), "scalar" + i);
        for (Stmt s : loop.body()) {
            if (s instanceof Assign as) p.values.putIfAbsent(as.var(), "local" + p.values.size());
        }
        return List.of(arrays.size(), scalars.size(), reduction == null ? "" : p.values.get(reduction),
                loop.body().stream().map(p::statement).toList());
    }

    /** This loop, run by another loop's helper method of the same shape. */
    public VectorLoop runBy(String method) {
        return new VectorLoop(method, loop, arrays, offsets, scalars, reduction);
    }

    /** A loop body's names replaced by their positions: arrays, and the scalars and locals; every access at i. */
    private record Positions(Map<String, String> arrays, Map<String, String> values) {
        Stmt statement(Stmt s) {
            if (s instanceof Store st) return new Store(arrays.get(st.array()), new IVar("i"), value(st.value()));
            if (s instanceof Assign as) return new Assign(values.get(as.var()), value(as.value()));
            throw new CompilerBug("not a vector loop statement: " + s);
        }

        Value value(Value v) {
            if (v instanceof Var var) return new Var(values.get(var.name()));
            if (v instanceof Load l) return new Load(arrays.get(l.array()), new IVar("i"));
            if (v instanceof Bin b) return new Bin(b.op(), value(b.left()), value(b.right()));
            if (v instanceof Call c) return new Call(c.fn(), value(c.argument()));
            if (v instanceof Select sel) {
                Cond c = sel.condition();
                return new Select(new Cond(c.op(), value(c.left()), value(c.right())), value(sel.then()), value(sel.otherwise()));
            }
            return v;
        }
    }

    /** Elements per call: the caller loops over chunks, so that each call is short (see VectorKernelEmitter). */
    public static final int CHUNK = 4096;

    /** {@code (arrays..., offsets..., scalars..., int from, int to)}: the elements [from, to). */
    public String descriptor() {
        return "(" + "[F".repeat(arrays.size()) + "I".repeat(arrays.size()) + "D".repeat(scalars.size()) + "II)D";
    }

    public int size() {
        return ((IConst) loop.to()).value();
    }
}
