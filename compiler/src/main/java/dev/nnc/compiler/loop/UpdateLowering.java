package dev.nnc.compiler.loop;

import dev.nnc.compiler.fuse.Kernel;
import dev.nnc.compiler.ir.Op;
import dev.nnc.compiler.ir.Optimizer;
import dev.nnc.compiler.ir.Penalty;
import dev.nnc.compiler.loop.Loop.*;

import dev.nnc.runtime.UpdateSlices;

import java.util.ArrayList;
import java.util.List;

import static dev.nnc.compiler.loop.Loop.*;

/**
 * One optimizer step for one slice of one parameter tensor (see
 * {@link dev.nnc.runtime.UpdateSlices}), in a single pass over it: the penalty's
 * gradient is added to the loss gradient, the penalty's value is summed (before the
 * step) into the slice's own field, and the update rule applied, with PyTorch's
 * conventions. Reads the fields {@code lr} (this step's rate) and {@code step} (1 on
 * the first).
 */
public final class UpdateLowering {
    static final String LR = "lr";
    static final String STEP = "step";
    static final String PENALTY = "penalty";

    private UpdateLowering() {}

    /**
     * A value about to be stored, with subnormal floats flushed to zero, as FTZ hardware
     * modes do: L2 and Adam's moments drive many weights towards zero, and arithmetic on
     * subnormal operands is slow on x86 (the Fashion-MNIST example's epochs grew from 1.8 s
     * to 6.5 s as 18,000 weights became subnormal). The JVM cannot set the FTZ flag; a
     * value below 1.2e-38 in magnitude changes nothing a float network computes.
     */
    private static Value flushed(Value v) {
        return fn(Fn.FLUSH_SUBNORMAL, v);
    }

    /**
     * array[i] = value, flushed, through locals so that the value is computed once; returns
     * the local that holds what was stored. The update reads a new moment from that local,
     * not from the array: a 512-bit load of what a store just wrote to an unaligned address
     * (a Java array is not aligned to 64 bytes) waits for the store rather than forwarding
     * from it: Adam's whole update of the Fashion-MNIST MLP took 0.49-0.54 ns per parameter
     * with its two such loads, 0.47-0.51 without (one thread, 2026-11-28).
     */
    private static Var storeFlushed(List<Stmt> body, String array, Index i, Value value) {
        String local = "new_" + array + "_" + body.size();
        body.add(set(local, value));
        String stored = local + "_flushed";
        body.add(set(stored, flushed(new Var(local))));
        body.add(store(array, i, new Var(stored)));
        return new Var(stored);
    }

    /** The field that sums the penalty of one slice. */
    public static String penaltyOfSlice(int slice) {
        return PENALTY + "_" + slice;
    }

    /** The slice's statements; none when the slice of this tensor is empty. */
    static List<Stmt> lower(Kernel.Update u, int slice) {
        int size = u.parameter().shape().size();
        int from = UpdateSlices.start(size, slice);
        int to = UpdateSlices.end(size, slice);
        if (from == to) return List.of();
        Index i = add(c(from), v("i"));
        Optimizer o = u.optimizer();
        Penalty penalty = u.penalty();
        String w = Buffers.parameter(u.index());
        String g = Buffers.gradient(u.index());
        Var lr = new Var(LR);
        Value wi = new Load(w, i);
        List<Stmt> body = new ArrayList<>();
        Value grad = new Load(g, i);
        if (((Op.Parameter) u.parameter().op()).statistic()) {
            // a running statistic: no optimizer, the batch's change (summed over the parts) is added
            return List.of(loop("i", c(to - from), store(w, i, plus(wi, grad))));
        }
        if (penalty.active()) {
            body.add(set("sum", plus(new Var("sum"),
                    plus(times(k(penalty.l1()), fn(Fn.ABS, wi)), times(k(penalty.l2()), times(wi, wi))))));
            grad = plus(grad, plus(times(k(penalty.l1()), fn(Fn.SIGNUM, wi)), times(k(2 * penalty.l2()), wi)));
        }
        body.add(set("gi", grad));
        Var gi = new Var("gi");
        String s0 = Buffers.state(u.index(), 0);
        String s1 = Buffers.state(u.index(), 1);
        Value m = new Load(s0, i);
        Value second = new Load(s1, i);
        switch (o.kind()) {
            case "sgd" -> {
                if (o.momentum() == 0) {
                    storeFlushed(body, w, i, minus(wi, times(lr, gi)));
                } else {
                    Var moment = storeFlushed(body, s0, i, plus(times(k(o.momentum()), m), gi));
                    Value direction = o.nesterov() ? plus(gi, times(k(o.momentum()), moment)) : moment;
                    storeFlushed(body, w, i, minus(wi, times(lr, direction)));
                }
            }
            case "adagrad" -> {
                Var sum = storeFlushed(body, s0, i, plus(m, times(gi, gi)));
                storeFlushed(body, w, i, minus(wi, div(times(lr, gi), plus(fn(Fn.SQRT, sum), k(o.eps())))));
            }
            case "rmsprop" -> {
                Var mean = storeFlushed(body, s0, i, plus(times(k(o.rho()), m), times(k(1 - o.rho()), times(gi, gi))));
                storeFlushed(body, w, i, minus(wi, div(times(lr, gi), plus(fn(Fn.SQRT, mean), k(o.eps())))));
            }
            default -> { // adam, adamw: decoupled weight decay first, then the bias-corrected moments
                Value decayed = wi;
                if (o.weightDecay() > 0) decayed = storeFlushed(body, w, i, times(wi, minus(k(1), times(lr, k(o.weightDecay())))));
                Var first = storeFlushed(body, s0, i, plus(times(k(o.beta1()), m), times(k(1 - o.beta1()), gi)));
                Var second2 = storeFlushed(body, s1, i, plus(times(k(o.beta2()), second), times(k(1 - o.beta2()), times(gi, gi))));
                Value mHat = times(first, new Var("c1"));
                Value vHat = times(second2, new Var("c2"));
                storeFlushed(body, w, i, minus(decayed, div(times(lr, mHat), plus(fn(Fn.SQRT, vHat), k(o.eps())))));
            }
        }
        List<Stmt> kernel = new ArrayList<>();
        if (o.kind().startsWith("adam")) {
            kernel.add(set("c1", div(k(1), minus(k(1), new Bin(BinOp.POW, k(o.beta1()), new Var(STEP))))));
            kernel.add(set("c2", div(k(1), minus(k(1), new Bin(BinOp.POW, k(o.beta2()), new Var(STEP))))));
        }
        if (penalty.active()) kernel.add(set("sum", k(0)));
        kernel.add(loop("i", c(to - from), body));
        if (penalty.active()) kernel.add(set(penaltyOfSlice(slice), plus(new Var(penaltyOfSlice(slice)), new Var("sum"))));
        return kernel;
    }
}
