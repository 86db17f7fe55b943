package dev.nnc.compiler.loop;

import dev.nnc.compiler.loop.Loop.*;

import java.util.*;

/**
 * An element-wise loop {@code for (i = 0; i < size; i++)} that the Vector API helper
 * class runs as {@code double name(float[]... arrays, double... scalars)}: every load
 * and store is at index i, the values use only operations with a lane-wise form, and
 * at most one outer variable is accumulated ({@code reduction = reduction + e}); the
 * method returns its final value. Found by {@link #of}, which says no to anything else.
 */
public record VectorLoop(String name, For loop, List<String> arrays, List<String> scalars, String reduction) {

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
        return Optional.of(new VectorLoop(name, f, List.copyOf(a.arrays), List.copyOf(scalars), reduction));
    }

    private static final class Analysis {
        final String index;
        final Set<String> arrays = new LinkedHashSet<>();
        final Set<String> outer = new LinkedHashSet<>();
        final Set<String> locals = new HashSet<>();
        final Set<String> reductions = new LinkedHashSet<>();

        Analysis(String index) {
            this.index = index;
        }

        boolean statement(Stmt s) {
            if (s instanceof Store st) {
                arrays.add(st.array());
                return atIndex(st.index()) && value(st.value());
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

        boolean atIndex(Index i) {
            return i instanceof IVar v && v.name().equals(index);
        }

        boolean value(Value v) {
            if (v instanceof Const) return true;
            if (v instanceof Var var) {
                if (reductions.contains(var.name())) return false;
                if (!locals.contains(var.name())) outer.add(var.name());
                return true;
            }
            if (v instanceof Load l) {
                arrays.add(l.array());
                return atIndex(l.index());
            }
            if (v instanceof Bin b) return b.op() != BinOp.POW && value(b.left()) && value(b.right());
            if (v instanceof Call c) {
                return (c.fn() == Fn.SQRT || c.fn() == Fn.ABS || c.fn() == Fn.SIGNUM) && value(c.argument());
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

    /** Elements per call: the caller loops over chunks, so that each call is short (see VectorKernelEmitter). */
    public static final int CHUNK = 4096;

    /** {@code (arrays..., scalars..., int from, int to)}: the elements [from, to). */
    public String descriptor() {
        return "(" + "[F".repeat(arrays.size()) + "D".repeat(scalars.size()) + "II)D";
    }

    public int size() {
        return ((IConst) loop.to()).value();
    }
}
