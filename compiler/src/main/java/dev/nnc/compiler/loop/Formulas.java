package dev.nnc.compiler.loop;

import dev.nnc.compiler.ir.Activation;
import dev.nnc.compiler.ir.Loss;
import dev.nnc.compiler.loop.Loop.*;

import static dev.nnc.compiler.loop.Loop.*;

/**
 * The element-wise mathematics: each activation, its derivative written with its
 * output y, and each loss and its gradient with respect to the prediction.
 */
final class Formulas {
    private static final double EPS = 1e-12;

    private Formulas() {}

    static Value activation(Activation f, double alpha, Value z) {
        return switch (f) {
            case RELU -> select(CmpOp.GT, z, k(0), z, k(0));
            case LEAKY_RELU -> select(CmpOp.GT, z, k(0), z, times(k(alpha), z));
            case ELU -> select(CmpOp.GT, z, k(0), z, times(k(alpha), minus(fn(Fn.EXP, z), k(1))));
            // 1 - 2 / (e^2z + 1): one exp, which the JIT makes an intrinsic (Math.tanh is
            // several times slower); exact at both infinities, 1e-16 absolute error near 0
            case TANH -> minus(k(1), div(k(2), plus(fn(Fn.EXP, times(k(2), z)), k(1))));
            // two branches, so exp never overflows
            case SIGMOID -> select(CmpOp.GE, z, k(0), div(k(1), plus(k(1), fn(Fn.EXP, times(k(-1), z)))),
                    div(fn(Fn.EXP, z), plus(k(1), fn(Fn.EXP, z))));
            case SOFTPLUS -> select(CmpOp.GT, z, k(0), plus(z, fn(Fn.LOG1P, fn(Fn.EXP, times(k(-1), z)))),
                    fn(Fn.LOG1P, fn(Fn.EXP, z)));
            case STEP -> select(CmpOp.GT, z, k(0), k(1), k(0));
        };
    }

    static Value derivative(Activation f, double alpha, Value y) {
        return switch (f) {
            case RELU -> select(CmpOp.GT, y, k(0), k(1), k(0));
            case LEAKY_RELU -> select(CmpOp.GT, y, k(0), k(1), k(alpha));
            case ELU -> select(CmpOp.GT, y, k(0), k(1), plus(y, k(alpha)));
            case TANH -> minus(k(1), times(y, y));
            case SIGMOID -> times(y, minus(k(1), y));
            case SOFTPLUS -> minus(k(1), fn(Fn.EXP, times(k(-1), y)));
            // the perceptron rule: the threshold passes the error straight through
            case STEP -> k(1);
        };
    }

    /** The loss of one element; {@code t} is the target, or for cross-entropy 1 at the label and 0 elsewhere. */
    static Value loss(Loss loss, Value p, Value t) {
        return switch (loss) {
            case MSE -> times(minus(p, t), minus(p, t));
            case MAE, PERCEPTRON -> fn(Fn.ABS, minus(p, t));
            case CROSS_ENTROPY -> times(t, times(k(-1), fn(Fn.LOG, clamp(p))));
            case BINARY_CROSS_ENTROPY -> times(k(-1), plus(times(t, fn(Fn.LOG, clamp(p))),
                    times(minus(k(1), t), fn(Fn.LOG, clamp(minus(k(1), p))))));
            case HINGE -> new Bin(BinOp.MAX, k(0), minus(k(1), times(sign(t), p)));
        };
    }

    /**
     * d loss / d p for one element, already averaged: {@code batch} is the number of
     * rows and {@code count} the number of elements.
     */
    static Value lossGradient(Loss loss, Value p, Value t, Value column, Value batch, Value count) {
        return switch (loss) {
            case MSE -> div(times(k(2), minus(p, t)), count);
            case MAE -> div(fn(Fn.SIGNUM, minus(p, t)), count);
            case PERCEPTRON -> div(minus(p, t), batch);
            case CROSS_ENTROPY -> select(CmpOp.EQ, t, column,
                    select(CmpOp.GT, p, k(EPS), div(k(-1), times(p, batch)), k(0)), k(0));
            case BINARY_CROSS_ENTROPY -> div(minus(clamp(p), t),
                    times(times(clamp(p), minus(k(1), clamp(p))), batch));
            case HINGE -> select(CmpOp.LT, times(sign(t), p), k(1), div(times(k(-1), sign(t)), batch), k(0));
        };
    }

    /** A 0/1 label as -1/+1. */
    private static Value sign(Value t) {
        return minus(times(k(2), t), k(1));
    }

    private static Value clamp(Value p) {
        return new Bin(BinOp.MIN, new Bin(BinOp.MAX, p, k(EPS)), k(1 - EPS));
    }
}
