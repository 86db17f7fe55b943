package dev.nnc.tests;

import dev.nnc.compiler.ir.Graph;
import dev.nnc.compiler.ir.Node;
import dev.nnc.compiler.ir.Op;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A plain, slow evaluation of a forward tensor graph in double precision, written
 * independently of the compiler's kernels: the reference the generated code is compared with.
 */
final class ReferenceEvaluator {
    private ReferenceEvaluator() {}

    /** The output rows for the input rows x, with parameters by name. */
    static double[] forward(Graph graph, Map<String, float[]> parameters, float[] x, int rows) {
        Map<Node, double[]> values = new HashMap<>();
        for (Node n : graph.nodes()) {
            if (n == graph.loss() || n.op() instanceof Op.Target || n.op() instanceof Op.LossValue) continue;
            values.put(n, evaluate(n, values, parameters, x, rows));
            if (n == graph.output()) return values.get(n);
        }
        throw new IllegalStateException("no output");
    }

    private static double[] evaluate(Node n, Map<Node, double[]> values, Map<String, float[]> parameters, float[] x, int rows) {
        Op op = n.op();
        List<Node> in = n.inputs();
        int w = n.shape().size();
        if (op instanceof Op.Input) {
            double[] v = new double[rows * w];
            for (int i = 0; i < v.length; i++) v[i] = x[i];
            return v;
        }
        if (op instanceof Op.Parameter p) {
            float[] f = parameters.get(p.name());
            double[] v = new double[f.length];
            for (int i = 0; i < f.length; i++) v[i] = f[i];
            return v;
        }
        double[] a = values.get(in.get(0));
        double[] out = new double[rows * w];
        if (op instanceof Op.MatMul) {
            double[] weights = values.get(in.get(1));
            int inner = in.get(0).shape().size();
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < w; j++) {
                    double s = 0;
                    for (int k = 0; k < inner; k++) s += a[r * inner + k] * weights[j * inner + k];
                    out[r * w + j] = s;
                }
            }
        } else if (op instanceof Op.BiasAdd) {
            double[] b = values.get(in.get(1));
            for (int i = 0; i < out.length; i++) out[i] = a[i] + b[i % w];
        } else if (op instanceof Op.Add) {
            double[] b = values.get(in.get(1));
            for (int i = 0; i < out.length; i++) out[i] = a[i] + b[i];
        } else if (op instanceof Op.Act act) {
            for (int i = 0; i < out.length; i++) out[i] = activation(act, a[i]);
        } else if (op instanceof Op.Softmax) {
            for (int r = 0; r < rows; r++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < w; j++) max = Math.max(max, a[r * w + j]);
                double sum = 0;
                for (int j = 0; j < w; j++) sum += Math.exp(a[r * w + j] - max);
                for (int j = 0; j < w; j++) out[r * w + j] = Math.exp(a[r * w + j] - max) / sum;
            }
        } else {
            throw new IllegalStateException("no reference for " + op);
        }
        return out;
    }

    private static double activation(Op.Act act, double z) {
        return switch (act.activation()) {
            case RELU -> Math.max(0, z);
            case LEAKY_RELU -> z > 0 ? z : act.alpha() * z;
            case ELU -> z > 0 ? z : act.alpha() * (Math.exp(z) - 1);
            case TANH -> Math.tanh(z);
            case SIGMOID -> 1 / (1 + Math.exp(-z));
            case SOFTPLUS -> Math.log(1 + Math.exp(z));
            case STEP -> z > 0 ? 1 : 0;
        };
    }
}
