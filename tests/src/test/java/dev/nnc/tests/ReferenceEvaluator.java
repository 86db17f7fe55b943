package dev.nnc.tests;

import dev.nnc.compiler.ir.Graph;
import dev.nnc.compiler.ir.Node;
import dev.nnc.compiler.ir.Op;
import dev.nnc.compiler.ir.Window;

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
        } else if (op instanceof Op.Conv2d conv) {
            convolve(conv, a, values.get(in.get(1)), conv.bias() ? values.get(in.get(2)) : null, out, rows);
        } else if (op instanceof Op.Pool pool) {
            pool(pool, a, out, rows);
        } else if (op instanceof Op.ChannelsFirst t) {
            for (int r = 0; r < rows; r++) {
                for (int p = 0; p < t.pixels(); p++) {
                    for (int c = 0; c < t.channels(); c++) out[r * w + c * t.pixels() + p] = a[r * w + p * t.channels() + c];
                }
            }
        } else if (op instanceof Op.Normalize z) {
            // prediction's batch norm: by the running statistics
            double[] mean = values.get(in.get(1));
            double[] variance = values.get(in.get(2));
            for (int i = 0; i < out.length; i++) {
                int c = i % z.channels();
                out[i] = (a[i] - mean[c]) / Math.sqrt(variance[c] + z.eps());
            }
        } else if (op instanceof Op.ChannelAffine t) {
            double[] scale = values.get(in.get(1));
            double[] shift = values.get(in.get(2));
            for (int i = 0; i < out.length; i++) out[i] = a[i] * scale[i % t.channels()] + shift[i % t.channels()];
        } else {
            throw new IllegalStateException("no reference for " + op);
        }
        return out;
    }

    /** Written as the textbook has it: out[y][x][f] = b[f] + sum over (i, j, c) of in[y*s+i-pt][x*s+j-pl][c] * w[f][c][i][j], zero outside. */
    private static void convolve(Op.Conv2d conv, double[] in, double[] w, double[] b, double[] out, int rows) {
        Window g = conv.window();
        int f = conv.filters();
        for (int r = 0; r < rows; r++) {
            for (int y = 0; y < g.outHeight(); y++) {
                for (int x = 0; x < g.outWidth(); x++) {
                    for (int k = 0; k < f; k++) {
                        double s = b == null ? 0 : b[k];
                        for (int i = 0; i < g.kernelHeight(); i++) {
                            for (int j = 0; j < g.kernelWidth(); j++) {
                                int iy = y * g.stride() + i - g.padTop();
                                int ix = x * g.stride() + j - g.padLeft();
                                if (iy < 0 || iy >= g.height() || ix < 0 || ix >= g.width()) continue;
                                for (int c = 0; c < g.channels(); c++) {
                                    s += in[r * g.inputSize() + (iy * g.width() + ix) * g.channels() + c]
                                            * w[((k * g.channels() + c) * g.kernelHeight() + i) * g.kernelWidth() + j];
                                }
                            }
                        }
                        out[((r * g.outHeight() + y) * g.outWidth() + x) * f + k] = s;
                    }
                }
            }
        }
    }

    private static void pool(Op.Pool pool, double[] in, double[] out, int rows) {
        Window g = pool.window();
        for (int r = 0; r < rows; r++) {
            for (int y = 0; y < g.outHeight(); y++) {
                for (int x = 0; x < g.outWidth(); x++) {
                    for (int c = 0; c < g.channels(); c++) {
                        double s = pool.max() ? Double.NEGATIVE_INFINITY : 0;
                        for (int i = 0; i < g.kernelHeight(); i++) {
                            for (int j = 0; j < g.kernelWidth(); j++) {
                                double v = in[r * g.inputSize() + ((y * g.stride() + i) * g.width() + x * g.stride() + j) * g.channels() + c];
                                s = pool.max() ? Math.max(s, v) : s + v;
                            }
                        }
                        out[((r * g.outHeight() + y) * g.outWidth() + x) * g.channels() + c] =
                                pool.max() ? s : s / (g.kernelHeight() * g.kernelWidth());
                    }
                }
            }
        }
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
