package dev.nnc.tests;

import dev.nnc.runtime.Network;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Each optimizer's generated update against the rule computed by hand, for three steps
 * of a one-weight line p = w x + b under mse: the gradients are 2(p - y) x and 2(p - y).
 */
class OptimizerTest {
    private static final double X = 2;
    private static final double Y = 1;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "sgd(lr = 0.1)                                   | ",
            "sgd(lr = 0.1, momentum = 0.9)                   | ",
            "sgd(lr = 0.1, momentum = 0.9, nesterov = true)  | ",
            "adagrad(lr = 0.1)                               | ",
            "rmsprop(lr = 0.01, rho = 0.8)                   | ",
            "adam(lr = 0.01)                                 | ",
            "adamw(lr = 0.01, weight_decay = 0.1)            | ",
            "sgd(lr = 0.1)                                   | penalty l2(0.05)",
            "sgd(lr = 0.1)                                   | penalty l1(0.05)",
            "adam(lr = 0.01, beta1 = 0.8, beta2 = 0.99)      | penalty l1_l2(l1 = 0.01, l2 = 0.02)",
    })
    void updateFollowsTheRule(String optimizer, String penalty) {
        Network net = Models.line(optimizer, penalty == null ? "" : penalty).create(1);
        float[][] p = net.parameters();
        p[0][0] = 0.5f;
        p[1][0] = 0.1f;
        Reference ref = new Reference(optimizer, penalty == null ? "" : penalty, 0.5f, 0.1f);
        for (int step = 1; step <= 3; step++) {
            double loss = net.trainStep(new float[]{(float) X}, new float[]{(float) Y}, 1, ref.lr);
            double expectedLoss = ref.step();
            assertEquals(expectedLoss, loss, 1e-5, "loss of step " + step);
            assertEquals(ref.w, p[0][0], 1e-5, "w after step " + step);
            assertEquals(ref.b, p[1][0], 1e-5, "b after step " + step);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sgd(lr = 0.1, momentum = 0.9)", "adam(lr = 0.01)", "rmsprop(lr = 0.01)", "adagrad(lr = 0.1)"})
    void updatesStoreNoSubnormalFloats(String optimizer) {
        // w' = w - lr * 2 * 0.5 * w = w / 2 is subnormal for this w: the update stores 0 instead
        Network net = Models.line("sgd(lr = 0.5)", "penalty l2(0.5)").create(1);
        float[][] p = net.parameters();
        p[0][0] = 1.5f * Float.MIN_NORMAL;
        p[1][0] = 0;
        net.trainStep(new float[]{0}, new float[]{0}, 1, 0.5);
        assertEquals(0f, p[0][0], "weight");
        Network other = Models.line(optimizer, "penalty l2(0.5)").create(1);
        float[][] q = other.parameters();
        q[0][0] = Float.MIN_NORMAL / 4;
        q[1][0] = 0;
        for (int step = 0; step < 5; step++) {
            other.trainStep(new float[]{0}, new float[]{0}, 1, 0.01);
            for (float[] t : q) for (float v : t) assertFalse(v != 0 && Math.abs(v) < Float.MIN_NORMAL, "subnormal " + v);
        }
    }

    /**
     * The same in the vector loops (whole vectors of a 32 by 16 weight): with zero inputs
     * the weight's gradient is zero and this update halves each weight, which stores 0 where
     * the half is subnormal (and +0 for -0), and the half itself everywhere else.
     */
    @Test
    void vectorUpdatesStoreNoSubnormalFloatsEither() {
        Network net = Models.compile("""
                model Wide {
                    input  x: [16]
                    target y: real[1]
                    output p = x -> dense(32) -> dense(1)
                    loss      mse(p, y)
                    optimizer sgd(lr = 0.5)
                    penalty   l2(0.5)
                }
                """).create(1);
        float[] w = net.parameters()[0];
        float[] values = {1.5f * Float.MIN_NORMAL, -1.5f * Float.MIN_NORMAL, 4 * Float.MIN_NORMAL, -4 * Float.MIN_NORMAL,
                Float.MIN_NORMAL, -0f, 0.75f, -3e-39f, Float.MAX_VALUE, 1e-20f};
        for (int i = 0; i < w.length; i++) w[i] = values[i % values.length];
        float[] before = w.clone();
        net.trainStep(new float[16], new float[]{0}, 1, 0.5);
        for (int i = 0; i < w.length; i++) {
            float half = before[i] / 2;
            float expected = Math.abs(half) < Float.MIN_NORMAL ? 0f : half;
            assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(w[i]), "w[" + i + "] = " + before[i] + " / 2");
        }
    }

    /** The rules written out plainly, with PyTorch's conventions. */
    private static final class Reference {
        final String kind;
        final double lr;
        final double momentum;
        final boolean nesterov;
        final double rho;
        final double beta1;
        final double beta2;
        final double weightDecay;
        final double l1;
        final double l2;
        double w;
        double b;
        final double[] m = new double[2];
        final double[] v = new double[2];
        int t;

        Reference(String optimizer, String penalty, float w, float b) {
            this.kind = optimizer.substring(0, optimizer.indexOf('('));
            this.lr = arg(optimizer, "lr", 0);
            this.momentum = arg(optimizer, "momentum", 0);
            this.nesterov = optimizer.contains("nesterov = true");
            this.rho = arg(optimizer, "rho", 0.9);
            this.beta1 = arg(optimizer, "beta1", 0.9);
            this.beta2 = arg(optimizer, "beta2", 0.999);
            this.weightDecay = arg(optimizer, "weight_decay", 0);
            this.l1 = penalty.contains("l1(") ? arg(penalty.replace("l1(", "l1(l1 = "), "l1", 0) : arg(penalty, "l1", 0);
            this.l2 = penalty.contains("l2(") ? arg(penalty.replace("l2(", "l2(l2 = "), "l2", 0) : arg(penalty, "l2", 0);
            this.w = w;
            this.b = b;
        }

        static double arg(String text, String name, double fallback) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\b" + name + " = ([0-9.e-]+)").matcher(text);
            return m.find() ? Double.parseDouble(m.group(1)) : fallback;
        }

        /** One step; returns the loss with the penalty, before the step. */
        double step() {
            t++;
            double error = w * X + b - Y;
            double loss = error * error + l1 * Math.abs(w) + l2 * w * w;
            double[] g = {2 * error * X + l1 * Math.signum(w) + 2 * l2 * w, 2 * error};
            double[] params = {w, b};
            for (int i = 0; i < 2; i++) params[i] = update(i, params[i], g[i]);
            w = params[0];
            b = params[1];
            return loss;
        }

        double update(int i, double p, double g) {
            switch (kind) {
                case "sgd":
                    if (momentum == 0) return p - lr * g;
                    m[i] = momentum * m[i] + g;
                    return p - lr * (nesterov ? g + momentum * m[i] : m[i]);
                case "adagrad":
                    m[i] += g * g;
                    return p - lr * g / (Math.sqrt(m[i]) + 1e-10);
                case "rmsprop":
                    m[i] = rho * m[i] + (1 - rho) * g * g;
                    return p - lr * g / (Math.sqrt(m[i]) + 1e-7);
                default:
                    p *= 1 - lr * weightDecay;
                    m[i] = beta1 * m[i] + (1 - beta1) * g;
                    v[i] = beta2 * v[i] + (1 - beta2) * g * g;
                    double mHat = m[i] / (1 - Math.pow(beta1, t));
                    double vHat = v[i] / (1 - Math.pow(beta2, t));
                    return p - lr * mHat / (Math.sqrt(vHat) + 1e-8);
            }
        }
    }
}
