package dev.nnc.compiler;

import dev.nnc.compiler.check.CheckedModel;
import dev.nnc.runtime.Rng;
import dev.nnc.runtime.spec.ModelSpec;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;

/**
 * Compares the generated backward pass with central finite differences, both in double
 * precision: the model is compiled as a double class, given random parameters and
 * random inputs of its declared shape, and every entry of each parameter tensor (or a
 * random sample of a large one) is perturbed by ±ε. The error of an entry is
 * |analytic - numeric| / max(|analytic|, |numeric|, 0.01): relative for gradients of
 * any size, absolute for tiny ones, where a relative error means nothing. Where the
 * two one-sided differences disagree (a relu or a max pool switches within ±ε, as random
 * convolutional networks with many units make likely), the numeric derivative is the
 * one of the three differences nearest the analytic: at a kink the backward pass
 * computes one of the one-sided derivatives. While that is not within 1e-7 of the
 * analytic derivative, the differences are taken again with smaller steps ({@link #numeric}).
 */
public final class GradientCheck {
    public static final double EPSILON = 1e-6;
    private static final double FLOOR = 1e-2;
    /** An error below which a numeric derivative is not sought again with a smaller ε: a tenth of what the tests allow. */
    private static final double CLOSE = 1e-7;

    public record TensorResult(String name, int checked, double maxAbsolute, double maxRelative, int worstIndex) {}

    public record Report(double loss, List<TensorResult> tensors) {
        public TensorResult worst() {
            return tensors.stream().max(java.util.Comparator.comparingDouble(TensorResult::maxRelative)).orElseThrow();
        }
    }

    private GradientCheck() {}

    public static Report run(CheckedModel model, int samples, int maxEntriesPerTensor, long seed) {
        return run(model, samples, maxEntriesPerTensor, seed, null);
    }

    /** With {@code data} (inputs already scaled), its first rows are the samples; otherwise random ones. */
    public static Report run(CheckedModel model, int samples, int maxEntriesPerTensor, long seed,
                             dev.nnc.runtime.data.Dataset data) {
        CompiledModel compiled = Compiler.compile(model, true);
        ModelSpec spec = compiled.spec();
        try {
            Class<?> type = ModelLoader.define(compiled);
            Object net = type.getConstructor(int.class).newInstance(samples);
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            MethodType lossType = MethodType.methodType(double.class, double[].class, double[].class, int.class);
            MethodHandle gradients = lookup.findVirtual(type, "gradients", lossType).bindTo(net);
            MethodHandle evaluate = lookup.findVirtual(type, "evaluate", lossType).bindTo(net);
            double[][] parameters = (double[][]) lookup.findVirtual(type, "parameters", MethodType.methodType(double[][].class))
                    .bindTo(net).invoke();
            double[][] grads = (double[][]) lookup.findVirtual(type, "parameterGradients", MethodType.methodType(double[][].class))
                    .bindTo(net).invoke();

            // Weights at the scale training starts from (so the loss, and the rounding error of
            // the differences, stay small), biases small but not zero.
            Rng rng = new Rng(seed);
            for (int t = 0; t < parameters.length; t++) {
                ModelSpec.ParameterSpec p = spec.parameters().get(t);
                double limit = p.init() == ModelSpec.Init.ZEROS ? 0.1 : Math.sqrt(6.0 / (p.fanIn() + p.fanOut()));
                double offset = p.init() == ModelSpec.Init.ONES ? 1 : 0;
                for (int i = 0; i < parameters[t].length; i++) parameters[t][i] = offset + limit * (2 * rng.nextDouble() - 1);
            }
            double[] x = new double[samples * spec.inputWidth()];
            double[] y;
            if (data != null) {
                samples = Math.min(samples, data.rows());
                float[] fx = new float[samples * spec.inputWidth()];
                float[] fy = new float[samples * spec.targetWidth()];
                data.copyRows(0, samples, fx, fy);
                for (int i = 0; i < fx.length; i++) x[i] = fx[i];
                y = new double[fy.length];
                for (int i = 0; i < y.length; i++) y[i] = fy[i];
            } else {
                for (int i = 0; i < x.length; i++) x[i] = rng.nextGaussian();
                y = targets(spec, samples, rng);
            }

            double loss = (double) gradients.invoke(x, y, samples);
            double base = (double) evaluate.invoke(x, y, samples);
            int rows = samples;
            Loss perturbed = () -> (double) evaluate.invoke(x, y, rows);
            List<TensorResult> results = new ArrayList<>();
            for (int t = 0; t < parameters.length; t++) {
                // a running statistic is not differentiated: training's loss does not read it
                if (spec.parameters().get(t).statistic()) continue;
                double[] w = parameters[t];
                double[] analytic = grads[t].clone();
                int count = Math.min(w.length, maxEntriesPerTensor);
                double maxAbs = 0;
                double maxRel = 0;
                int worst = 0;
                for (int c = 0; c < count; c++) {
                    int i = count == w.length ? c : rng.nextInt(w.length);
                    double numeric = numeric(w, i, analytic[i], perturbed, base);
                    double abs = Math.abs(analytic[i] - numeric);
                    double rel = abs / Math.max(FLOOR, Math.max(Math.abs(analytic[i]), Math.abs(numeric)));
                    if (!(rel <= maxRel)) {
                        maxRel = Double.isNaN(rel) ? Double.POSITIVE_INFINITY : rel;
                        worst = i;
                    }
                    maxAbs = Math.max(maxAbs, abs);
                }
                results.add(new TensorResult(spec.parameters().get(t).name(), count, maxAbs, maxRel, worst));
            }
            return new Report(loss, results);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("gradient check failed to run", e);
        }
    }

    /** The loss at the current parameters. */
    private interface Loss {
        double at() throws Throwable;
    }

    /**
     * The numeric derivative of entry i: the central difference, unless the one-sided
     * ones disagree (a relu, an elu or a max pool changes branch within ±ε: the backward
     * pass then computes one of the one-sided derivatives, not their mean), when the one
     * of the three nearest the analytic derivative counts. While that is further from the
     * analytic derivative than {@link #CLOSE}, the differences are taken again with ε/16
     * and ε/256, and the nearest of all counts: a unit that crosses its kink within ±ε
     * but changes the one-sided differences too little to be seen as a kink (an elu(0.5)
     * among the 40 positions of 80 channels that a 1x1 convolution's weight feeds: 4e-8
     * off, 2026-11-29) seldom does within ±ε/256. A wrong gradient still shows: no
     * difference of the loss is near it.
     */
    private static double numeric(double[] w, int i, double analytic, Loss loss, double base) throws Throwable {
        double numeric = Double.NaN;
        for (double epsilon = EPSILON; ; epsilon /= 16) {
            double saved = w[i];
            w[i] = saved + epsilon;
            double plus = loss.at();
            w[i] = saved - epsilon;
            double minus = loss.at();
            w[i] = saved;
            double forward = (plus - base) / epsilon;
            double backward = (base - minus) / epsilon;
            double candidate = (plus - minus) / (2 * epsilon);
            boolean kink = kink(forward, backward);
            if (kink) candidate = nearest(analytic, nearest(analytic, candidate, forward), backward);
            numeric = Double.isNaN(numeric) ? candidate : nearest(analytic, numeric, candidate);
            double scale = Math.max(FLOOR, Math.max(Math.abs(analytic), Math.abs(numeric)));
            if (Math.abs(analytic - numeric) <= CLOSE * scale || epsilon <= EPSILON / 256) return numeric;
        }
    }

    /** Of a and b, the one nearer to target (a on a tie). */
    private static double nearest(double target, double a, double b) {
        return Math.abs(target - b) < Math.abs(target - a) ? b : a;
    }

    /**
     * One-sided differences that disagree beyond their O(epsilon) error: maybe a kink
     * between them. (Only then is a one-sided difference taken, and only when it is nearer
     * the analytic derivative than the central one: a wrong gradient still shows.)
     */
    private static boolean kink(double forward, double backward) {
        return Math.abs(forward - backward) > 1e-5 * Math.max(FLOOR, Math.max(Math.abs(forward), Math.abs(backward)));
    }

    private static double[] targets(ModelSpec spec, int samples, Rng rng) {
        double[] y = new double[samples * spec.targetWidth()];
        for (int i = 0; i < y.length; i++) {
            y[i] = switch (spec.targetKind()) {
                case CLASS -> rng.nextInt(spec.classNames().size());
                case BINARY -> rng.nextInt(2);
                case REAL -> rng.nextGaussian();
            };
        }
        return y;
    }
}
